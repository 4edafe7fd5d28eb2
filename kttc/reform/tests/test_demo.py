"""The empowerment demo (M1): one right granted through its notice, one notice running with an
objection waiting; loaded once, on top of the core's and the registry's demo."""

from __future__ import annotations

import html
import io

from django.core.management import call_command

from kttc.core.selectors import audit_chain_verify
from kttc.reform.demo import demo_loaded
from kttc.reform.models import EmpowermentApplication, EmpowermentGrant, Objection


def test_m1_the_demo_has_a_granted_right_and_a_running_notice_with_an_objection(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())
    assert demo_loaded()
    granted, running = EmpowermentApplication.objects.order_by("created_at", "id")
    assert granted.status == "granted" and running.status == "in_notice"
    assert EmpowermentGrant.objects.get().application == granted
    assert granted.grant.starts_on == granted.notice.grant_from
    objection = Objection.objects.get()
    assert objection.notice == running.notice and objection.is_open
    assert audit_chain_verify().intact
    call_command("demo", stdout=io.StringIO())
    assert EmpowermentApplication.objects.count() == 2


def test_m3_the_demo_has_a_licence_with_an_overdue_royalty_and_an_application_waiting(
    db, settings, tmp_path, client
):
    from decimal import Decimal

    from kttc.reform.licensing.services import licence_balance
    from kttc.reform.models import Licence, LicenceApplication

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())
    licence = Licence.objects.get()
    assert licence.application is not None and licence.first_revenue_on is not None
    state = licence_balance(licence)
    assert state.paid == Decimal("50000.00") and state.overdue == Decimal("12600.00")
    assert LicenceApplication.objects.filter(status="pending").count() == 1
    page = client.get("/transactions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    english = licence.achievement.translations.filter(language="en").first()
    shown = html.escape(english.name if english else licence.achievement.name)
    assert shown in page and "3 %" in page
