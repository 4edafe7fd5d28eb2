"""The embeddings' nearest neighbours keep only records that stand out from the collection: a
demand with nothing close to it in the catalog gets no "may meet" results (M8.1)."""

from __future__ import annotations

import numpy as np

from kttc.center.search.vectors import MEDIAN_FROM, VectorStore


def _unit(vector):
    vector = np.asarray(vector, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_only_records_standing_out_from_the_median_are_near(tmp_path):
    store = VectorStore(tmp_path / "v.bin", 2)
    # A crowd of records around one direction, and one record near the query's.
    crowd = [_unit([1.0, 0.01 * n / MEDIAN_FROM]) for n in range(MEDIAN_FROM + 5)]
    store.put(list(range(1, len(crowd) + 1)), np.stack(crowd))
    store.put([999], _unit([0.2, 1.0]).reshape(1, 2))
    query = _unit([0.25, 1.0])
    assert store.nearest(query, 3, above_median=0.05)[0][0] == 999
    assert [pk for pk, _s in store.nearest(query, 3, above_median=0.05)] == [999]
    assert len(store.nearest(query, 3)) == 3  # without the rule: the k nearest, whatever they are
    # a query like the crowd: nothing stands out from it
    assert store.nearest(_unit([1.0, 0.005]), 3, above_median=0.05) == []


def test_a_small_collection_keeps_its_nearest_records(tmp_path):
    store = VectorStore(tmp_path / "v.bin", 2)
    store.put([1, 2], np.stack([_unit([1, 0]), _unit([0, 1])]))
    assert [pk for pk, _s in store.nearest(_unit([1, 0.1]), 2, above_median=0.05)] == [1, 2]


class CountingEncoder:
    """A stand-in encoder: two dimensions, counting the queries it encodes."""

    name = "counting"
    dim = 2
    queries = 0

    def passages(self, texts):
        return np.stack([_unit([1.0, len(t) % 3]) for t in texts])

    def query(self, text):
        type(self).queries += 1
        return _unit([1.0, 0.5])


def test_the_next_page_of_a_search_does_not_encode_its_query_again(settings, tmp_path):
    from kttc.center import search
    from kttc.center.search import embedding, semantic

    settings.KTTC_EMBEDDINGS = f"{__name__}.CountingEncoder"
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    embedding.encoder.cache_clear()
    search.reset()
    try:
        semantic.store().put([1, 2], np.stack([_unit([1, 0]), _unit([1, 1])]))
        first = semantic.candidates("water-saving irrigation")
        again = semantic.candidates("water-saving irrigation")
        assert first == again and first[0][0] == 2
        assert CountingEncoder.queries == 1
        semantic.candidates("another demand")
        assert CountingEncoder.queries == 2
    finally:
        embedding.encoder.cache_clear()
        search.reset()


def test_a_search_keeps_only_the_candidates_that_stand_out_a_little(settings, tmp_path):
    from kttc.center import search
    from kttc.center.search import embedding, semantic

    settings.KTTC_EMBEDDINGS = f"{__name__}.CountingEncoder"
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    embedding.encoder.cache_clear()
    search.reset()
    try:
        crowd = [_unit([1.0, 0.001 * n]) for n in range(MEDIAN_FROM + 2)]
        semantic.store().put(list(range(1, len(crowd) + 1)), np.stack(crowd))
        semantic.store().put([99], _unit([1.0, 0.35]).reshape(1, 2))
        # the crowd is within reach of the best (0.99 against 0.89) but no higher than the median
        assert [pk for pk, _s in semantic.candidates("drip irrigation")] == [99]
    finally:
        embedding.encoder.cache_clear()
        search.reset()
