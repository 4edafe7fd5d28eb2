"""The center's readiness checks (``/health/ready``, kttc.core.observability.health): the
catalog's search index opens and answers (M8.2, M8.3)."""

from __future__ import annotations

from collections.abc import Callable


def _search_index() -> None:
    from kttc.center import search

    search.backend().count()


def checks() -> dict[str, Callable[[], None] | None]:
    return {"search": _search_index}
