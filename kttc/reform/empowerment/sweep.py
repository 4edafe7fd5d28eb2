"""M1.2: the empowerment part of ``kttc sweep`` (called from ``kttc.reform.sweep.run``): long-term
use rights past their last day are recorded as expired, each once (claimed by a conditional
UPDATE in :func:`kttc.reform.empowerment.grants.rights_expire`), with an event and an audit
entry."""

from __future__ import annotations

from datetime import date

from kttc.reform.empowerment.grants import rights_expire


def run(today: date) -> dict[str, int]:
    """M1.2: expire the rights past their last day, each once."""
    return {"rights expired": len(rights_expire(today=today))}
