"""M8.1: demands past their deadline leave the hall, for ``kttc sweep`` (through
``kttc.center.sweep``).

DESIGN rule 5: the demands still pending or published whose deadline is before today are claimed
with one conditional UPDATE (their status becomes ``expired`` and ``closed_at`` this run's
stamp), and the notices of the rows carrying the stamp are one ``INSERT … SELECT``, each once
per demand (its dedupe key): running the sweep twice, or two at once, tells nobody twice."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import CharField, F
from django.db.models.functions import Cast
from django.utils import timezone

from kttc.center.demands import notices
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.core.notifications.services import link_with_pk, notification_send_many
from kttc.policy.roles import Capability

OPEN = (DemandStatus.PENDING, DemandStatus.PUBLISHED)


def run(today: date) -> dict[str, int]:
    """M8.1: expire the demands whose deadline passed; tell each enterprise once."""
    stamp = timezone.now()
    with transaction.atomic():
        expired = Demand.objects.filter(status__in=OPEN, deadline__lt=today).update(
            status=DemandStatus.EXPIRED, closed_at=stamp
        )
        told = 0
        if expired:
            told = notification_send_many(
                about=Demand.objects.filter(status=DemandStatus.EXPIRED, closed_at=stamp),
                organisation_field="organisation_id",
                roles=notices.roles_with(Capability.POST_DEMANDS),
                notice=notices.EXPIRED,
                params={
                    "title": F("title"),
                    "deadline": Cast("deadline", output_field=CharField()),
                },
                link=link_with_pk("demands:detail"),
                now=stamp,
            )
    return {"demands expired (M8.1)": expired, "enterprises told": told}
