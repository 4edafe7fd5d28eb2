"""M4.4 in the demo: the open licensing list and the bureau's queue are not empty."""

from __future__ import annotations

import io

from django.core.management import call_command

from kttc.core.selectors import audit_chain_verify
from kttc.reform.models import OpenLicensingEntry, TransformationJustification


def test_m4_4_the_demo_lists_two_old_results_one_with_a_justification_waiting(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())
    listed = OpenLicensingEntry.objects.filter(status="listed").select_related("offer")
    assert listed.count() == 2 and all(e.offer and e.offer.open for e in listed)
    (waiting,) = TransformationJustification.objects.filter(status="pending")
    assert waiting.achievement_id in {e.achievement_id for e in listed}
    assert audit_chain_verify().intact
    call_command("demo", stdout=io.StringIO())
    assert OpenLicensingEntry.objects.count() == 2
