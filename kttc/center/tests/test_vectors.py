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


def _cloud(count, dim=16, seed=3):
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_large_store_searches_its_graph_and_finds_what_the_full_product_finds(tmp_path):
    vectors = _cloud(400)
    exact = VectorStore(tmp_path / "v.bin", 16, graph_from=10**9)
    exact.put(list(range(1, 401)), vectors)
    graphed = VectorStore(tmp_path / "v.bin", 16, graph_from=100)
    graphed.refresh()
    graphed.build_graph()
    assert graphed._graph is not None and len(graphed._graph) == 400
    for query in _cloud(5, seed=7):
        walked = graphed.nearest(query, 5)
        product = exact.nearest(query, 5)
        assert [pk for pk, _s in walked] == [pk for pk, _s in product]
        assert np.allclose([s for _pk, s in walked], [s for _pk, s in product], atol=2e-3)


def test_the_graph_follows_records_stored_and_removed_after_it_was_built(tmp_path):
    store = VectorStore(tmp_path / "v.bin", 16, graph_from=10)
    store.put(list(range(1, 101)), _cloud(100))
    store.refresh()
    store.build_graph()
    query = _cloud(1, seed=9)[0]
    first = store.nearest(query, 1)[0][0]
    store.delete([first])
    assert first not in [pk for pk, _s in store.nearest(query, 10)]
    store.put([5000], query.reshape(1, 16))
    assert store.nearest(query, 1)[0][0] == 5000


def test_records_stored_while_the_graph_is_built_join_it(tmp_path, monkeypatch):
    import usearch.index

    store = VectorStore(tmp_path / "v.bin", 16, graph_from=10)
    store.put(list(range(1, 101)), _cloud(100))
    store.refresh()
    other = VectorStore(tmp_path / "v.bin", 16)  # another process's writer
    query = _cloud(1, seed=11)[0]
    original_add = usearch.index.Index.add

    def add_while_a_writer_writes(self, *args, **kwargs):
        result = original_add(self, *args, **kwargs)
        if store._graph is None:  # during the build, not when catching up
            other.put([7000], query.reshape(1, 16))
            other.delete([1, 2])
            store.refresh()
        return result

    monkeypatch.setattr(usearch.index.Index, "add", add_while_a_writer_writes)
    store.build_graph()
    assert store._graph is not None and not store._graph.contains(1)
    found = [pk for pk, _s in store.nearest(query, 100)]
    assert found[0] == 7000 and 1 not in found and 2 not in found


def test_the_graph_is_built_in_the_background_once_records_are_many(tmp_path):
    import time

    store = VectorStore(tmp_path / "v.bin", 16, graph_from=50)
    store.put(list(range(1, 41)), _cloud(40))
    query = _cloud(1, seed=5)[0]
    store.nearest(query, 3)
    assert store._graph is None and store._building is None  # too few to need one
    store.put(list(range(41, 61)), _cloud(20, seed=4))
    expected = store.nearest(query, 3)  # answered by the product while the graph is built
    deadline = time.monotonic() + 20
    while store._graph is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store._graph is not None
    assert [pk for pk, _s in store.nearest(query, 3)] == [pk for pk, _s in expected]


def test_a_chinese_query_with_a_page_of_full_matches_is_not_encoded(settings, tmp_path):
    import datetime as dt

    from kttc.center import search
    from kttc.center.search import embedding, semantic
    from kttc.center.search.base import SearchDoc, SearchQuery

    settings.KTTC_EMBEDDINGS = f"{__name__}.CountingEncoder"
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    embedding.encoder.cache_clear()
    search.reset()

    def doc(pk, name):
        return SearchDoc(
            id=pk, name=name, abstract="", keywords=[], translations={}, unit_id=1,
            unit_name="", unit_name_en="", discipline="430", industry="C", trl=5, ip_kinds=[],
            licensing=[], year=2025, published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        )  # fmt: skip

    try:
        many = search.LEXICAL_ENOUGH
        search.backend().index(
            [doc(pk, f"石墨烯电池材料第{pk}号") for pk in range(1, many + 1)]
            + [doc(100, "普洱茶发酵工艺"), doc(101, "三七种植技术")]
        )
        semantic.store().put([100, 101], np.stack([_unit([1, 0]), _unit([0, 1])]))
        before = CountingEncoder.queries
        found = search.search(SearchQuery(text="石墨烯电池"))
        assert found.total == many and CountingEncoder.queries == before  # the words suffice
        search.search(SearchQuery(text="普洱茶"))  # one result with the word: meaning joins
        assert CountingEncoder.queries == before + 1
        relaxed = search.search(SearchQuery(text="石墨烯 普洱茶 量子"))  # none has every word
        assert relaxed.relaxed and CountingEncoder.queries == before + 2
        search.search(SearchQuery(text="graphene battery"))  # not Chinese: always
        assert CountingEncoder.queries == before + 3
    finally:
        embedding.encoder.cache_clear()
        search.reset()
