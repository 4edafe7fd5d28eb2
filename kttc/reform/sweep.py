"""The reform part of ``kttc sweep`` (found by ``kttc.core.parts.part_modules``): each mechanism's
sweep in turn, each claiming what it handles so that it is done once.

* M1.2: long-term use rights past their last day are recorded as expired
  (``kttc.reform.empowerment.sweep``).
* M3.2, M3.3: reminders of licence payments due soon and notices of those overdue
  (``kttc.reform.licensing.sweep``).
* M4.4: the open licensing list (``kttc.reform.transformation.sweep``).
"""

from __future__ import annotations

from datetime import date

from kttc.reform.empowerment import sweep as empowerment_sweep
from kttc.reform.licensing import sweep as licensing_sweep
from kttc.reform.transformation import sweep as transformation_sweep


def run(today: date) -> dict[str, int]:
    """M1.2, M3.2, M3.3, M4.4: expire rights; remind of licence payments due soon and tell of
    those overdue; keep the open licensing list. Each once."""
    counts = empowerment_sweep.run(today)
    counts.update(licensing_sweep.run(today))
    counts.update(transformation_sweep.run(today))
    return counts
