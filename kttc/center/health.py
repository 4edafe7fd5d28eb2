"""The center's readiness checks (``/health/ready``, kttc.core.observability.health): the
catalog's search index opens and answers (M8.2, M8.3), and it is no more than
``KTTC_SEARCH_LAG_LIMIT`` outbox rows behind the database (README "Search on every node")."""

from __future__ import annotations

from collections.abc import Callable


class IndexLagging(RuntimeError):
    """The node's index has more outbox rows to apply than the limit."""

    def __init__(self, detail: dict[str, int]) -> None:
        super().__init__(f"{detail['lag']} rows behind")
        self.detail = detail


def _search_index() -> dict[str, int]:
    from kttc.center import search
    from kttc.center.search import follow
    from kttc.core.observability import metrics

    search.backend().count()
    detail = {"lag": follow.lag(), "lag_limit": follow.lag_limit()}
    metrics.observe_search_lag(detail["lag"])
    # A node follows once it has a cursor, or when its web processes are to follow (this very
    # probe starts the follower, which builds the index); with neither, its own changes alone
    # keep it in step and there is no lag to hold against it.
    following = follow.read_cursor() is not None or follow.follow_seconds() > 0
    if following and detail["lag"] > detail["lag_limit"]:
        raise IndexLagging(detail)
    return detail


def checks() -> dict[str, Callable[[], object] | None]:
    return {"search": _search_index}
