"""Embeddings of new results encoded once for every node (M8.1, M8.2; README "Search by
meaning", ``KTTC_EMBED_WORKER=queue``): the task of the queue (here run in-process after the
commit, as without a broker) encodes a published result and stores its vector; node B, following
the outbox, copies it instead of encoding it, and finds the result by meaning as node A does; a
node that rebuilds takes the stored vectors; a change that leaves the name alone, or the task
run twice, encodes nothing again; a result withdrawn loses its stored vector."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import numpy as np
import pytest
from django.core.management import call_command

from kttc.center import search
from kttc.center.search import embedding, follow, semantic, shared
from kttc.center.search.base import SearchQuery
from kttc.center.search.models import ResultVector
from kttc.center.tasks import embed_results
from kttc.center.tests.factories import promoted, published_achievement
from kttc.registry import services

pytestmark = pytest.mark.django_db

TEA = ("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌，节约用水。")
ALLOY = ("高强度铝合金的热处理工艺", "提高铝合金的强度和韧性。")
DEMAND = "water-saving drip irrigation for tea plantations"


class CountingE5(embedding.E5Encoder):
    """The real encoder, counting the passages it encodes (in every node of the test)."""

    encoded: list[str] = []
    threads: set[int] = set()

    def passages(self, texts):
        type(self).encoded.extend(texts)
        type(self).threads.add(threading.get_ident())
        return super().passages(texts)


@pytest.fixture
def nodes(settings, tmp_path):
    """``on("a")`` / ``on("b")``: a node's search directory for a block; the queue encodes."""
    settings.KTTC_EMBEDDINGS = f"{__name__}.CountingE5"
    settings.KTTC_EMBED_WORKER = "queue"
    settings.KTTC_BROKER_URL = ""  # the task runs in the process that sent it
    embedding.encoder.cache_clear()
    CountingE5.encoded.clear()
    CountingE5.threads.clear()

    @contextmanager
    def on(name):
        before = settings.KTTC_SEARCH_DIR
        settings.KTTC_SEARCH_DIR = tmp_path / name
        search.reset()
        try:
            yield
        finally:
            settings.KTTC_SEARCH_DIR = before
            search.reset()

    with on("b"):
        follow.catch_up()  # node B builds its (empty) index and takes its cursor
    yield on
    embedding.encoder.cache_clear()
    search.reset()


@pytest.fixture
def publish(personas, nodes, django_capture_on_commit_callbacks):
    def make(name, abstract, **changes):
        with nodes("a"):
            return published_achievement(
                personas,
                django_capture_on_commit_callbacks,
                name=name,
                abstract=abstract,
                keywords=["材料"],
                translations=[],
                **changes,
            )

    return make


def by_meaning(text):
    return [pk for pk, _score in semantic.candidates(text)]


def found(text):
    return [hit.id for hit in search.search(SearchQuery(text=text)).hits]


def test_a_result_is_encoded_once_and_both_nodes_find_it_by_meaning(publish, nodes):
    tea = publish(*TEA)
    alloy = publish(*ALLOY)
    assert CountingE5.encoded == [TEA[0], ALLOY[0]]  # once each, by the task
    stored = ResultVector.objects.get(achievement_id=tea.pk)
    assert (stored.model, stored.passage_version) == ("e5-small-q4", embedding.PASSAGE_VERSION)
    assert len(bytes(stored.vector)) == 2 * 384  # float16, as the vector file keeps it
    with nodes("a"):  # the process that asked: its file at once
        assert semantic.store().ids() == {tea.pk, alloy.pk}
        assert by_meaning(DEMAND)[0] == tea.pk
        assert found(DEMAND)[0] == tea.pk
    with nodes("b"):
        assert semantic.store().ids() == set()
        assert follow.catch_up() > 0
        assert semantic.store().ids() == {tea.pk, alloy.pk}
        assert np.array_equal(
            semantic.store().vectors_of([tea.pk])[0][1],
            shared.from_bytes(stored.vector, 384),
        )
        assert by_meaning(DEMAND)[0] == tea.pk
        assert found(DEMAND)[0] == tea.pk
    assert CountingE5.encoded == [TEA[0], ALLOY[0]]  # node B encoded nothing


def test_only_a_changed_name_is_encoded_again_and_a_withdrawn_result_loses_its_vector(
    publish, nodes, personas, django_capture_on_commit_callbacks
):
    tea = publish(*TEA)
    with nodes("a"):
        promoted(personas, tea)  # the search document changes, its passage does not
    assert CountingE5.encoded == [TEA[0]]
    embed_results([tea.pk])  # the task delivered twice
    assert CountingE5.encoded == [TEA[0]]
    with nodes("a"), django_capture_on_commit_callbacks(execute=True):
        services.achievement_withdraw(actor=personas.bureau, achievement=tea, reason="数据有误")
    assert not ResultVector.objects.filter(achievement_id=tea.pk).exists()
    with nodes("a"):
        assert semantic.store().ids() == set()
    with nodes("b"):
        follow.catch_up()
        assert semantic.store().ids() == set()
        assert found(DEMAND) == []


def test_a_node_that_rebuilds_takes_the_stored_vectors_and_encodes_only_the_others(
    publish, nodes, capsys
):
    tea = publish(*TEA)
    alloy = publish(*ALLOY)
    ResultVector.objects.filter(achievement_id=alloy.pk).delete()  # a row lost
    with nodes("c"):  # a new node
        call_command("search_rebuild")
        assert semantic.store().ids() == {tea.pk, alloy.pk}
        assert found(DEMAND)[0] == tea.pk
    assert "Encoded 2 results" in capsys.readouterr().out
    assert CountingE5.encoded == [TEA[0], ALLOY[0], ALLOY[0]]  # the lost one again, only
    assert ResultVector.objects.filter(achievement_id=alloy.pk).exists()  # stored again
    with nodes("d"):
        call_command("search_rebuild")
        assert semantic.store().ids() == {tea.pk, alloy.pk}
    assert len(CountingE5.encoded) == 3


def test_the_task_is_sent_on_the_long_queue_in_bounded_batches_chained(monkeypatch):
    from kttc.core import tasks
    from kttc.core.tasks import queue

    sent = []
    monkeypatch.setattr(tasks, "enqueue_chain", lambda *steps: sent.append(steps))
    assert shared.request(range(1, 2 * shared.BATCH * shared.CHAIN + 2)) == 2 * shared.CHAIN + 1
    assert [len(chain) for chain in sent] == [shared.CHAIN, shared.CHAIN, 1]
    assert sent[0][0].args == (list(range(1, shared.BATCH + 1)),)
    assert {len(step.args[0]) for chain in sent for step in chain} == {shared.BATCH, 1}
    assert queue.ROUTES[embed_results.name] == {"queue": tasks.LONG_QUEUE}


class TwoDimensions:
    name, dim = "two", 2


def test_a_vector_of_a_name_changed_since_it_was_read_is_not_stored(publish, settings):
    tea = publish(*TEA)
    rows = ResultVector.objects.filter(model="two")
    vectors = np.ones((1, 2), dtype=np.float32)
    assert shared._write(TwoDimensions(), {tea.pk: "旧名称"}, vectors, tell_nodes=True) == []
    assert not rows.exists()
    assert shared._write(TwoDimensions(), {tea.pk: TEA[0]}, vectors, tell_nodes=True) == [tea.pk]
    assert rows.get().digest == shared.digest(TEA[0])


class NamedOnly:
    """An encoder that is never asked to encode: only its name says which vectors are current."""

    name = "e5-small-q4"
    dim = 4


def test_the_sweep_removes_the_stored_vectors_of_an_encoder_no_longer_used(settings):
    settings.KTTC_EMBEDDINGS = f"{__name__}.NamedOnly"
    embedding.encoder.cache_clear()
    try:
        vector = shared.to_bytes(np.ones(4, dtype=np.float32))
        current = embedding.PASSAGE_VERSION
        for pk, model, version in [
            (1, "e5-small-q4", current),  # current: kept
            (1, "e5-small-q4", current - 1),  # an earlier passage version
            (2, "another-model", current),  # another encoder
            (3, "e5-small-q4", current),
        ]:
            ResultVector.objects.create(
                achievement_id=pk, model=model, passage_version=version, digest="d", vector=vector
            )
        from kttc.center import sweep

        assert sweep.run(calendar_today())["stored_vectors_pruned"] == 2
        kept = ResultVector.objects.values_list("achievement_id", "model", "passage_version")
        assert sorted(kept) == [(1, "e5-small-q4", current), (3, "e5-small-q4", current)]
        settings.KTTC_EMBEDDINGS = "off"
        embedding.encoder.cache_clear()
        ResultVector.objects.create(
            achievement_id=4, model="old", passage_version=1, digest="d", vector=vector
        )
        assert shared.prune() == 0  # embeddings off: it cannot tell which vectors are current
    finally:
        embedding.encoder.cache_clear()


def calendar_today():
    from kttc.policy import calendar

    return calendar.today_in_shanghai()
