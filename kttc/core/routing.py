"""Reads that may lag go to the PostgreSQL streaming replica; everything else to the primary.

Active only when DATABASE_REPLICA_URL is set (config/settings.py adds the ``replica`` alias, the
router and the middleware); unset, the platform runs on its one database as before.

What may lag: GET/HEAD requests to the public pages named in ``LAGGING_READ_VIEWS`` (the catalog
and its search results, the public statistics, the public listings and transactions). A reader
there sees the state of a second or so ago, which these pages already tolerate (the statistics
are refreshed daily, the catalog's search index asynchronously).

What never lags:
- every write (``db_for_write`` is always the primary), and so ``select_for_update`` (Django sends
  a query marked for update through ``db_for_write``);
- every read inside a transaction (``atomic``) on the primary: the decisions that take the audit
  chain's lock read what they are about to change from the primary (DESIGN rule 9);
- every other page: the back office, the API, sign-in, forms;
- sessions, sign-in throttling and accounts (who is signed in must be read where it was written);
- read-your-writes: a client whose write succeeded (POST/PUT/PATCH/DELETE answered below 400)
  carries a signed cookie for ``KTTC_REPLICA_PIN_SECONDS`` (10 by default) and reads from the
  primary meanwhile, so a publisher sees their own result on the public catalog at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signing import BadSignature
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA_ALIAS = "replica"

# URL names (namespace:name) whose GET/HEAD reads may come from the replica.
LAGGING_READ_VIEWS: frozenset[str] = frozenset(
    {
        "catalog:list",  # the catalog and its search results (M8.2)
        "catalog:detail",
        "catalog:promoted",
        "catalog:releases",
        "catalog:release",
        "statistics_public:page",  # the public statistics
        "listings:list",  # the public listings
        "listings:detail",
        "transactions:list",  # the public transactions
    }
)

# Always read from the primary, whatever the page: who is signed in, their session, throttling.
PRIMARY_ONLY_APPS: frozenset[str] = frozenset({"sessions", "axes", "admin", "auth"})

PIN_COOKIE = "kttc_primary"
PIN_SALT = "kttc.core.routing.pin"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_METHODS = frozenset({"GET", "HEAD"})

_reads_may_lag: ContextVar[bool] = ContextVar("kttc_reads_may_lag", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "KTTC_REPLICA_PIN_SECONDS", 10))


@contextmanager
def reads_may_lag(allowed: bool = True) -> Iterator[None]:
    """Within the block, reads outside transactions may be served by the replica."""
    token = _reads_may_lag.set(allowed)
    try:
        yield
    finally:
        _reads_may_lag.reset(token)


class PrimaryReplicaRouter:
    """Database router: the replica for reads that may lag, the primary for all else."""

    # The last alias chosen for a read, for the tests and the logs.
    last_read: str | None = None

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        alias = self._choose_read(model)
        PrimaryReplicaRouter.last_read = alias
        return alias

    def _choose_read(self, model: type[Any]) -> str:
        if not (_reads_may_lag.get() and replica_configured()):
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if model._meta.label == settings.AUTH_USER_MODEL:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        if both <= {DEFAULT_DB_ALIAS, REPLICA_ALIAS}:
            return True  # the same data, at two moments
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica receives the primary's schema through the WAL; it is never migrated.
        return db != REPLICA_ALIAS


def is_pinned(request: HttpRequest) -> bool:
    try:
        value = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT,
                                          max_age=pin_seconds())
    except BadSignature:
        return False
    return value is not None


def may_lag(request: HttpRequest) -> bool:
    """A GET/HEAD to an allow-listed public page from a client that has not just written."""
    match = request.resolver_match
    if match is None or request.method not in READ_METHODS:
        return False
    return match.view_name in LAGGING_READ_VIEWS and not is_pinned(request)


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may lag; pins a client that wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reads_may_lag.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reads_may_lag.reset(token)
        if request.method in WRITE_METHODS and response.status_code < 400:
            response.set_signed_cookie(
                PIN_COOKIE, str(int(time.time())), salt=PIN_SALT, max_age=pin_seconds(),
                httponly=True, samesite="Lax", secure=request.is_secure(),
            )
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any,
                     view_kwargs: Any) -> None:
        if may_lag(request):
            _reads_may_lag.set(True)  # reset by __call__ when the response is made
        return None
