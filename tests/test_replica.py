"""Reads that may lag go to the streaming replica; writes, transactions, the back office and a
client that has just written go to the primary (kttc/core/routing.py, README "PostgreSQL with a
replica").

The router's and the middleware's decisions are checked everywhere. The tests marked ``live``
need a real primary and streaming replica (``scripts/with-postgres-replica``, run by
``make test-replica``); without DATABASE_REPLICA_URL they are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import pytest
from django.core.signing import get_cookie_signer
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from kttc.center.catalog.models import Achievement
from kttc.core import routing
from kttc.core.models import Organisation, User
from kttc.core.tests.factories import OrganisationFactory, UserFactory

ROUTER = ["kttc.core.routing.PrimaryReplicaRouter"]
NO_REPLICA = (
    "DATABASE_REPLICA_URL is not set: the live replica tests need a primary and a streaming "
    "replica (`make test-replica` starts both on loopback with scripts/with-postgres-replica)."
)
live = pytest.mark.skipif(not os.environ.get("DATABASE_REPLICA_URL"), reason=NO_REPLICA)


# -- the router's and the middleware's decisions, everywhere --------------------------------


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routing, "replica_configured", lambda: True)


def test_reads_go_to_the_primary_unless_the_page_allows_lag(with_replica: None) -> None:
    router = routing.PrimaryReplicaRouter()
    assert router.db_for_read(Achievement) == DEFAULT_DB_ALIAS
    with routing.reads_may_lag():
        assert router.db_for_read(Achievement) == routing.REPLICA_ALIAS
        # who is signed in and their session are read where they were written
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Achievement) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Achievement) == DEFAULT_DB_ALIAS
    with routing.reads_may_lag():
        assert router.db_for_write(Achievement) == DEFAULT_DB_ALIAS


def test_without_a_replica_everything_reads_from_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(routing, "replica_configured", lambda: False)
    with routing.reads_may_lag():
        assert routing.PrimaryReplicaRouter().db_for_read(Achievement) == DEFAULT_DB_ALIAS


def test_select_for_update_and_writes_go_to_the_primary(with_replica: None) -> None:
    with override_settings(DATABASE_ROUTERS=ROUTER), routing.reads_may_lag():
        assert Achievement.objects.all().db == routing.REPLICA_ALIAS
        assert Achievement.objects.select_for_update().db == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(with_replica: None) -> None:
    with transaction.atomic(), routing.reads_may_lag():
        assert routing.PrimaryReplicaRouter().db_for_read(Achievement) == DEFAULT_DB_ALIAS


def test_the_replica_is_never_migrated() -> None:
    router = routing.PrimaryReplicaRouter()
    assert router.allow_migrate(routing.REPLICA_ALIAS, "center") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "center") is True


def _request(method: str, path: str, **cookies: str) -> Any:
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies)
    request.resolver_match = resolve(path)
    return request


def _pin() -> str:
    """The cookie the middleware sets, signed (and time-stamped) now."""
    signer = get_cookie_signer(salt=routing.PIN_COOKIE + routing.PIN_SALT)
    return signer.sign(str(int(time.time())))


@pytest.mark.parametrize(
    ("method", "name", "kwargs", "lags"),
    [
        ("GET", "catalog:list", {}, True),
        ("HEAD", "catalog:detail", {"pk": 1}, True),
        ("GET", "statistics_public:page", {}, True),
        ("GET", "listings:list", {}, True),
        ("GET", "transactions:list", {}, True),
        ("POST", "catalog:list", {}, False),  # a write is never routed to the replica
        ("GET", "office:home", {}, False),  # the back office reads the primary
        ("GET", "listings:mine", {}, False),  # one's own listings: read-your-writes
        ("GET", "catalog:export", {"fmt": "csv"}, False),
    ],
)
def test_which_requests_may_read_lagging_data(method: str, name: str, kwargs: dict[str, Any],
                                              lags: bool) -> None:
    assert routing.may_lag(_request(method, reverse(name, kwargs=kwargs))) is lags


def test_a_client_that_wrote_is_pinned_to_the_primary_for_the_window(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.KTTC_REPLICA_PIN_SECONDS = 10
    path = reverse("catalog:list")
    assert routing.may_lag(_request("GET", path, kttc_primary=_pin())) is False
    # after the window, back to the replica
    now = time.time()
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: now - 11)
        old = _pin()
    assert routing.may_lag(_request("GET", path, kttc_primary=old)) is True
    # a forged cookie pins nothing
    assert routing.may_lag(_request("GET", path, kttc_primary="1:forged")) is True


@pytest.mark.parametrize(("method", "status", "pins"), [
    ("POST", 302, True), ("DELETE", 204, True), ("POST", 400, False), ("GET", 200, False),
])
def test_the_middleware_pins_after_a_successful_write(method: str, status: int,
                                                      pins: bool) -> None:
    from django.http import HttpResponse

    seen: list[bool] = []

    def view(request: Any) -> HttpResponse:
        seen.append(routing._reads_may_lag.get())
        return HttpResponse(status=status)

    def handler(request: Any) -> HttpResponse:  # Django calls process_view, then the view
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = routing.ReplicaReadsMiddleware(handler)
    response = middleware(_request(method, reverse("catalog:list")))
    assert seen == [method == "GET"]  # the catalog's GET may lag, a write never
    assert (routing.PIN_COOKIE in response.cookies) is pins
    assert routing._reads_may_lag.get() is False  # nothing leaks into the next request


# -- live: a real primary and a streaming replica ---------------------------------------------


def _caught_up(timeout: float = 10.0) -> float:
    """Wait until the replica has replayed everything the primary has written; seconds taken."""
    start = time.monotonic()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        # the insert position: with synchronous_commit=off a commit may not be written out yet
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (lsn,) = cursor.fetchone()
    replica = connections[routing.REPLICA_ALIAS]
    while True:
        try:
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return time.monotonic() - start
        except OperationalError:  # the test database itself may not have arrived yet
            replica.close()
        if time.monotonic() - start > timeout:
            raise AssertionError(f"the replica did not replay {lsn} within {timeout} s")
        time.sleep(0.02)


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return bool(cursor.fetchone()[0])


@live
@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, routing.REPLICA_ALIAS])
def test_live_routing_and_catch_up() -> None:
    # The test database was created on the primary; the replica received it through the WAL.
    _caught_up()
    assert _in_recovery(routing.REPLICA_ALIAS) is True
    assert _in_recovery(DEFAULT_DB_ALIAS) is False

    # Catch-up: a row written on the primary is readable on the replica within seconds.
    organisation = OrganisationFactory()
    seconds = _caught_up()
    assert seconds < 5
    assert Organisation.objects.using(routing.REPLICA_ALIAS).filter(pk=organisation.pk).exists()

    client = Client()
    primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
    replica = CaptureQueriesContext(connections[routing.REPLICA_ALIAS])

    # A lagging-allowed public page reads from the replica.
    with primary, replica:
        assert client.get(reverse("catalog:list")).status_code == 200
    assert len(replica.captured_queries) > 0
    assert routing.PrimaryReplicaRouter.last_read == routing.REPLICA_ALIAS

    # A back-office page reads from the primary, and so does a signed-in person's session.
    user = UserFactory()
    client.force_login(user)
    with primary, replica:
        assert client.get(reverse("office:home")).status_code == 200
    assert replica.captured_queries == []
    assert len(primary.captured_queries) > 0

    # A successful write (the language switch) pins the client to the primary for the window.
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert routing.PIN_COOKIE in response.cookies
    with primary, replica:
        assert client.get(reverse("catalog:list")).status_code == 200
    assert replica.captured_queries == []
    assert len(primary.captured_queries) > 0

    # Another client, which wrote nothing, still reads the replica.
    with replica:
        assert Client().get(reverse("statistics_public:page")).status_code == 200
    assert len(replica.captured_queries) > 0


# -- the setting ------------------------------------------------------------------------------


def _settings_of(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "KTTC_ENV")}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), "
        "getattr(s, 'DATABASE_ROUTERS', []), 'kttc.core.routing.ReplicaReadsMiddleware' in "
        "s.MIDDLEWARE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "KTTC_ENV": "development", "DJANGO_SETTINGS_MODULE": "config.settings",
             **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_replica_setting_adds_the_alias_router_and_middleware_and_refuses_sqlite() -> None:
    pg = "postgres://kttc@127.0.0.1:5432/kttc"
    result = _settings_of({"DATABASE_URL": pg, "DATABASE_REPLICA_URL": pg.replace("5432", "5433")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['default',", "'replica']", "default", "['kttc.core.routing.PrimaryReplicaRouter']",
        "True",
    ]
    unset = _settings_of({"DATABASE_URL": pg})
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.split() == ["['default']", "None", "[]", "False"]  # one database, as today
    refused = _settings_of({"DATABASE_URL": "sqlite:///var/x.sqlite3",
                            "DATABASE_REPLICA_URL": pg})
    assert refused.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL" in refused.stderr
