"""M1.2, M1.7: the reform part of ``kttc sweep``: long-term use rights past their last day are
recorded as expired, each once (claimed by a conditional UPDATE in ``rights_expire``), with an
event and an audit entry."""

from __future__ import annotations

from datetime import date

from kttc.reform.services_rights import rights_expire


def run(today: date) -> dict[str, int]:
    """M1.2: record the long-term use rights that ended before ``today`` as expired."""
    return {"rights expired": len(rights_expire(today=today))}
