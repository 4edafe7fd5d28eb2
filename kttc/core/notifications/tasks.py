"""The notifications' task: a state change's notices e-mailed by a worker (DESIGN rule 12).

:func:`~kttc.core.notifications.services.notifications_email_now` claims the notices with a
conditional UPDATE, so a second run (a message delivered twice) sends nothing twice. A message
the mail server refused is given back by it; the task then fails as transient and is retried with
backoff, sending only what is still unsent; after the last retry the sweep's delivery sends it.
"""

from __future__ import annotations

from kttc.core import tasks
from kttc.core.notifications import services


@tasks.task("kttc.notifications.email_now")
def email_now(dedupe_key: str) -> int:
    """E-mail the unsent notices of ``dedupe_key``; the number of e-mails sent."""
    delivery = services.notifications_email_now(dedupe_key)
    if delivery.failed:
        raise tasks.Transient(f"{delivery.failed} e-mail(s) of {dedupe_key} refused")
    return delivery.emails
