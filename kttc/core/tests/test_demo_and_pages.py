"""The demo data: every kind and role, decisions in the chain; the public pages built on it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from kttc.core.accounts.services import verification_queue
from kttc.core.demo import PERSONAS, load_demo
from kttc.core.models import AuditCheckpoint, AuditEntry, Membership, Organisation
from kttc.core.selectors import audit_chain_verify
from kttc.policy.identifiers import is_valid_uscc
from kttc.policy.roles import OrganisationKind, Role


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_has_every_kind_every_role_and_valid_credit_codes(demo):
    assert {o.kind for o in Organisation.objects.all()} == {k.value for k in OrganisationKind}
    assert {m.role for m in Membership.objects.all()} == {r.value for r in Role}
    chinese = Organisation.objects.filter(country="CN")
    assert all(is_valid_uscc(o.credit_code) for o in chinese)
    # Every demo organisation is verified but one foreign enterprise, waiting in the queue.
    waiting = Organisation.objects.get(verified_at__isnull=True)
    assert (waiting.country, waiting.registration_number) == ("VN", "0316 457 982")
    assert list(verification_queue()) == [waiting]
    assert len(PERSONAS) == len(Role)


def test_demo_decisions_are_in_an_intact_chain(demo):
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"organisation.register", "organisation.verify", "membership.grant"} <= actions
    report = audit_chain_verify()
    assert report.intact and report.checked == AuditEntry.objects.count() > 20


def test_demo_command_loads_once(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = io.StringIO(), io.StringIO()
    # `make run` loads the demo in development, where a debug cursor formats every query with
    # its parameters for the log: no query may break it.
    with CaptureQueriesContext(connection):
        call_command("demo", stdout=first)
    count = AuditEntry.objects.count()
    call_command("demo", stdout=second)
    assert "Loaded 10 demo organisations" in first.getvalue()
    assert "already loaded" in second.getvalue()
    assert AuditEntry.objects.count() == count
    # The public checkpoint page starts with the demo chain's head (M14.1).
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.seq == AuditEntry.objects.order_by("-seq").first().seq


def test_home_page_shows_demo_organisations(client, demo):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Chuncheng University" in page
    page_zh = client.get(reverse("home")).content.decode()
    assert "春城大学" in page_zh


def test_organisation_list_filters_and_paginates(client, demo, settings):
    settings.KTTC_PAGE_SIZE = 4
    response = client.get(reverse("organisation_list"), {"kind": "university"})
    assert [o.name for o in response.context["page"].object_list] == ["春城大学"]
    page2 = client.get(reverse("organisation_list"), {"page": 2})
    assert page2.context["page"].number == 2
    empty = client.get(reverse("organisation_list"), {"q": "不存在的单位"})
    assert empty.context["page"].paginator.count == 0
    bad = client.get(reverse("organisation_list"), {"kind": "not-a-kind", "page": "x"})
    assert bad.status_code == 200


def test_organisation_detail_shows_reform_unit_status(client, demo):
    university = demo["university"]
    page = client.get(
        reverse("organisation_detail", args=[university.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert university.credit_code in page and "M1.1" in page


def test_policy_page_lists_parameters_with_clauses(client, db):
    page = client.get(reverse("policy_parameters"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "KM-2026" in page and "M5.2" in page and "0.70" in page


def test_back_office_tokens_page_shows_a_new_key_once(client, demo):
    from kttc.core.models import User

    office = User.objects.get(email="office@demo.kttc.example")
    client.force_login(office)
    response = client.post(reverse("office:tokens"), {"name": "报表脚本"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    again = client.get(reverse("office:tokens")).content.decode()
    assert key not in again and "报表脚本" in again


def test_verify_button_reports_the_chain(client, demo):
    from kttc.core.models import User

    client.force_login(User.objects.get(email="auditor@demo.kttc.example"))
    response = client.post(reverse("office:audit_verify"), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "M14.1" in response.content.decode()
    client.force_login(User.objects.get(email="researcher@demo.kttc.example"))
    assert client.post(reverse("office:audit_verify")).status_code == 403


def test_audit_log_names_actions_in_the_readers_language_and_filters(client, demo):
    from kttc.core.models import User

    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    zh = client.get(reverse("office:audit")).content.decode()
    assert "授予角色" in zh and "membership.grant" in zh
    filtered = client.get(reverse("office:audit"), {"action": "organisation.verify"})
    actions = {e.action for e in filtered.context["page"].object_list}
    assert actions == {"organisation.verify"}
    unknown = client.get(reverse("office:audit"), {"action": "nonsense"})
    assert unknown.status_code == 200 and "action" in unknown.context["form"].errors


def _stated(page: str) -> dict[str, str]:
    """The parameters a page states, by their ``data-param`` markers."""
    return dict(re.findall(r'data-param="([a-z_]+)" data-value="([^"]*)"', page))


def test_the_home_page_states_the_parameters_in_force(client, db, monkeypatch):
    import dataclasses
    from decimal import Decimal

    from kttc.core import selectors

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _stated(page) == {
        "submission_due_months": "3",
        "empowerment_notice_min_days": "15",
        "completer_income_min_share": "70",
    }
    in_force = selectors.parameters_in_force()
    changed = dataclasses.replace(
        in_force,
        submission_due_months=1,
        empowerment_notice_min_days=20,
        completer_income_min_share=Decimal("0.725"),
    )
    monkeypatch.setattr(selectors, "parameters_in_force", lambda on=None: changed)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _stated(page) == {
        "submission_due_months": "1",
        "empowerment_notice_min_days": "20",
        "completer_income_min_share": "72.5",
    }
    assert "within 1 month." in page  # the singular where the number is one
    page_zh = client.get(reverse("home")).content.decode()
    assert "应在 1 个月内汇交" in page_zh and "72.5%" in page_zh
