"""The core's tasks: the daily sweep, each part's share of it, and its mail at the end.

With a broker ``kttc sweep`` queues one task per part (``kttc.sweep.part``), one after the other,
then ``kttc.sweep.finish`` (the e-mail of what they noticed, the daily digests): each part is
retried on its own, and one that fails for good is logged while the rest still run, as the
command does in-process. Each part claims its rows with a conditional UPDATE, so a part run twice
notifies nothing twice (DESIGN rule 5).
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.management import call_command

from kttc.core import tasks
from kttc.core.observability import metrics
from kttc.core.parts import part_modules

logger = logging.getLogger("kttc.tasks")


@tasks.task("kttc.sweep")
def daily_sweep() -> None:
    """``kttc sweep`` as the worker's beat starts it (01:00 Asia/Shanghai)."""
    call_command("sweep")


@tasks.task("kttc.sweep.part")
def sweep_part(label: str, today: str) -> dict[str, int]:
    """One part's sweep as on ``today`` (ISO date)."""
    module = dict(part_modules("sweep")).get(label)
    if module is None:
        logger.error("the sweep has no part %s", label)
        return {}
    try:
        counts: dict[str, int] = module.run(date.fromisoformat(today))
    except tasks.TRANSIENT:
        raise  # retried with backoff
    except Exception:
        # As in-process: logged with its trace, the other parts still run.
        logger.exception("the sweep of %s failed", label)
        metrics.observe_sweep_part(label, {"failed": 1})
        return {}
    metrics.observe_sweep_part(label, counts)
    logger.info("sweep of %s: %s", label, counts)
    return counts


@tasks.task("kttc.sweep.finish")
def sweep_finish(mail: bool = True) -> None:
    """After the parts: the e-mail of the notices not yet e-mailed, then the daily digests."""
    from kttc.core.notifications.digest import notifications_digest
    from kttc.core.notifications.services import notifications_email

    if mail:
        sent = notifications_email()
        metrics.observe_sweep_part("mail", {"e-mails sent": sent.emails})
        digests = notifications_digest()
        metrics.observe_sweep_part("daily digests", {"e-mails sent": digests.emails})
    metrics.observe_sweep_run(ok=True)
