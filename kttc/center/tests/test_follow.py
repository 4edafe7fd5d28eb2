"""The search index on every node (M8.2, M8.3): two nodes, each with its own index, against one
database. A change made on node A is in A's index at once (read-your-writes) and in B's after B
catches up with the outbox; a node that missed changes, or whose rows were pruned, answers as A
does once it has caught up or rebuilt; ids committed out of order on PostgreSQL are all found."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from kttc.center import search
from kttc.center.search import follow
from kttc.center.search.base import SearchQuery
from kttc.center.tests.factories import published_achievement
from kttc.registry import outbox, services
from kttc.registry.models import Achievement, IndexOutbox

pytestmark = pytest.mark.django_db

PLAIN = {"keywords": ["材料"], "translations": []}


@pytest.fixture
def nodes(settings, tmp_path):
    """``on("a")`` / ``on("b")``: the search directory of node A or node B for a block."""

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
        follow.catch_up()  # a fresh node builds its (empty) index and takes its cursor
    return on


@pytest.fixture
def publish(personas, nodes, django_capture_on_commit_callbacks):
    def make(**changes):
        with nodes("a"):
            return published_achievement(
                personas, django_capture_on_commit_callbacks, **(PLAIN | changes)
            )

    return make


def found(text):
    return sorted(hit.id for hit in search.backend().search(SearchQuery(text=text)).hits)


def test_a_publish_on_node_a_is_found_on_node_b_after_it_catches_up(publish, nodes):
    result = publish(name="石墨烯导热膜")
    with nodes("a"):
        assert found("石墨烯") == [result.pk]  # the node that published: at once
    with nodes("b"):
        assert found("石墨烯") == []
        assert follow.lag() > 0
        assert follow.catch_up() > 0
        assert found("石墨烯") == [result.pk]
        assert follow.lag() == 0
        assert follow.catch_up() == 0  # nothing new: nothing applied


def test_node_b_misses_several_changes_then_answers_as_node_a(
    publish, nodes, personas, django_capture_on_commit_callbacks
):
    kept = publish(name="石墨烯电极")
    gone = publish(name="石墨烯涂层")
    with nodes("b"):
        follow.catch_up()
        assert found("石墨烯") == sorted([kept.pk, gone.pk])
    # B is down: a result withdrawn, a restricted one published, a new one published.
    with nodes("a"), django_capture_on_commit_callbacks(execute=True):
        services.achievement_withdraw(actor=personas.bureau, achievement=gone, reason="数据有误")
    publish(name="石墨烯内部成果", confidentiality="restricted")
    new = publish(name="石墨烯薄膜")
    with nodes("a"):
        on_a = {text: found(text) for text in ("石墨烯", "内部", "涂层", "薄膜")}
    assert on_a["石墨烯"] == sorted([kept.pk, new.pk])
    with nodes("b"):
        assert follow.catch_up(batch=2) > 0  # several batches
        assert {text: found(text) for text in on_a} == on_a
        assert search.backend().count() == 2


def test_curating_the_catalog_leaves_outbox_rows_for_the_other_nodes(publish, personas):
    from kttc.center.tests.factories import major_release, promoted

    result = publish(name="石墨烯散热片")
    rows = IndexOutbox.objects.filter(achievement_id=result.pk)
    before = rows.count()
    promoted(personas, result)
    major_release(personas, [result])
    assert rows.count() == before + 2


def test_a_node_whose_rows_were_pruned_rebuilds_its_index(publish, nodes):
    first = publish(name="石墨烯电池")
    with nodes("b"):
        follow.catch_up()
        cursor = follow.read_cursor()
    second = publish(name="石墨烯传感器")
    outbox.record([first.pk])  # the newest row, kept by the sweep, is not the second's
    # A week and more later: the sweep removes the rows B never read, but the newest.
    IndexOutbox.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    newest = IndexOutbox.objects.order_by("pk").last()
    before = IndexOutbox.objects.count()
    assert outbox.prune() == before - 1
    assert list(IndexOutbox.objects.values_list("pk", flat=True)) == [newest.pk]
    with nodes("b"):
        assert found("石墨烯") == [first.pk]
        cursor.at -= 8 * 86_400  # B has been down since
        follow.write_cursor(cursor)
        assert follow.catch_up() == 0  # rebuilt instead of applying the one row left
        assert found("石墨烯") == sorted([first.pk, second.pk])
        assert follow.read_cursor().position >= newest.pk - follow.REPLAY


def test_a_node_ahead_of_a_restored_database_rebuilds_its_index(publish, nodes):
    result = publish(name="石墨烯还原")
    newest = IndexOutbox.objects.order_by("pk").last().pk
    with nodes("b"):
        follow.write_cursor(follow.Cursor(newest + 50, [], 0.0))  # rows of a later, lost state
        assert follow.catch_up() == 0
        assert found("石墨烯") == [result.pk]
        assert follow.read_cursor().position <= newest


def test_the_sweep_keeps_a_week_and_always_the_newest_row():
    old = timezone.now() - dt.timedelta(days=8)
    IndexOutbox.objects.bulk_create([IndexOutbox(achievement_id=n, created_at=old) for n in (1, 2)])
    outbox.record([3])
    assert outbox.prune() == 2
    assert list(IndexOutbox.objects.values_list("achievement_id", flat=True)) == [3]
    IndexOutbox.objects.update(created_at=old)
    assert outbox.prune() == 0  # the newest row stays: a node reads from it that none is lost
    assert IndexOutbox.objects.count() == 1


def test_a_rebuild_sets_the_cursor_and_a_node_without_one_adopts_its_index(
    publish, nodes, settings
):
    from django.core.management import call_command

    result = publish(name="石墨烯催化剂")
    newest = IndexOutbox.objects.order_by("pk").last().pk
    with nodes("b"):
        follow._path(follow.CURSOR).unlink()
        call_command("search_rebuild", "--no-embed", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert found("石墨烯") == [result.pk]
        position = follow.read_cursor().position
        assert position < newest  # the last rows are applied again: harmless
        follow._path(follow.CURSOR).unlink()
        follow.catch_up()  # an index without a cursor is adopted, not rebuilt
        assert follow.read_cursor().position == position


def test_ready_reports_the_lag_and_fails_past_the_limit(client, nodes, settings):
    settings.KTTC_SEARCH_LAG_LIMIT = 2
    with nodes("b"):
        outbox.record([1, 2, 3])  # ids of no public result: nothing to index, three rows
        response = client.get("/health/ready")
        assert response.status_code == 503
        body = response.json()["checks"]["search"]
        assert body["ok"] is False and body["lag"] == 3 and body["error"] == "IndexLagging"
        follow.catch_up()
        body = client.get("/health/ready").json()["checks"]["search"]
        assert body["ok"] is True and body["lag"] == 0
    with nodes("c"):  # a node that does not follow (no cursor, no follower): never held back
        body = client.get("/health/ready").json()["checks"]["search"]
        assert body["ok"] is True and body["lag"] > 2


def test_one_process_per_node_holds_the_follower_lock(nodes):
    with nodes("b"):
        held = follow.try_lock()
        assert held is not None
        assert follow.try_lock() is None  # another worker of the same node
        held.close()
        again = follow.try_lock()
        assert again is not None
        again.close()


def test_no_follower_thread_under_tests_or_without_seconds(settings):
    settings.KTTC_SEARCH_FOLLOW_SECONDS = 0
    assert follow.start() is False


# --- PostgreSQL: ids committed out of order ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ids_committed_out_of_order_are_all_found(personas, settings, tmp_path):
    """A transaction holding the lower id commits after one holding the higher: node B applies
    the higher, keeps the lower as a gap, and finds it at its next catch-up; a rolled-back id is
    given up after the gap time."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: ids commit in order")
    settings.KTTC_SEARCH_DIR = tmp_path / "a"
    search.reset()
    early, late = (
        published_achievement(personas, _run_now, name=name, **PLAIN)
        for name in ("石墨烯早期", "石墨烯后期")
    )
    settings.KTTC_SEARCH_DIR = tmp_path / "b"
    search.reset()
    follow.catch_up()
    assert found("石墨烯") == sorted([early.pk, late.pk])

    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def change(achievement, name, *, wait=False, roll_back=False):
        try:
            with transaction.atomic():
                Achievement.objects.filter(pk=achievement.pk).update(name=name)
                outbox.record([achievement.pk])
                if wait:
                    holding.set()
                    release.wait(30)
                if roll_back:
                    transaction.set_rollback(True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    slow = threading.Thread(target=change, args=(early, "钙钛矿早期"), kwargs={"wait": True})
    slow.start()
    assert holding.wait(30)
    fast = threading.Thread(target=change, args=(late, "钙钛矿后期"))
    fast.start()
    fast.join()
    follow.catch_up()
    assert found("钙钛矿") == [late.pk]
    assert len(follow.read_cursor().gaps) == 1  # the id the slow transaction holds
    release.set()
    slow.join()
    assert errors == []
    follow.catch_up()
    assert found("钙钛矿") == sorted([early.pk, late.pk])
    assert follow.read_cursor().gaps == []

    rolled = threading.Thread(target=change, args=(early, "回滚"), kwargs={"roll_back": True})
    rolled.start()
    rolled.join()
    change(late, "钙钛矿再改")
    follow.catch_up()
    assert len(follow.read_cursor().gaps) == 1  # the rolled-back id, looked for again
    later = follow.read_cursor().gaps[0][2] + follow.GAP_SECONDS + 1
    follow.catch_up(now=lambda: later)
    assert follow.read_cursor().gaps == []  # given up
    assert found("钙钛矿") == sorted([early.pk, late.pk])
    search.reset()


@contextmanager
def _run_now(execute=True):
    """Commit hooks run as in production (a transactional test commits for real)."""
    yield []
