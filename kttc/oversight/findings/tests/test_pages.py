"""The findings' pages (M14.2): an auditor records a draft (warned of another department's
recent record of the unit on the same clauses), adds a finding and issues it; another
department reads it; the unit rectifies with evidence; the department marks it; the record is
amended with a reason; the list filters, pages and exports; the homes list what waits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kttc.oversight.findings import selectors
from kttc.oversight.findings.models import Finding, Inspection
from kttc.oversight.findings.tests.factories import departments, issued, plan, scope
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return departments(personas)


@pytest.fixture
def today(monkeypatch):
    day = dt.date(2026, 11, 2)
    monkeypatch.setattr(selectors, "today", lambda: day)
    return day


def _form(unit, department, **changes):
    data = {
        "department": department.pk, "kind": "audit", "reference": "昆审〔2026〕30号",
        "title": "许可收入分配专项审计", "subjects": [unit.pk], "period_start": "2025-01-01",
        "period_end": "2025-12-31", "clauses": "M5.2, m5.3", "scope": "许可收入分配",
        "fieldwork_start": "2026-10-10", "fieldwork_end": "2026-10-20",
    }  # fmt: skip
    data.update(changes)
    return data


def test_m14_2_record_add_issue_read_rectify_review_amend_through_the_pages(
    client, personas, world, today
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    unit.verified_at = unit.verified_at or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    unit.save()
    earlier = issued(world.auditor_b, world.b, unit, reference="昆财监〔2026〕1号")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(world.auditor_a)
    assert client.get(reverse("findings:new")).status_code == 200
    warned = client.post(reverse("findings:new"), _form(unit, world.a))
    assert warned.status_code == 200 and not Inspection.objects.filter(department=world.a)
    page = warned.content.decode()
    assert 'id="overlaps"' in page, page[page.find("<main") :][:3000]
    assert earlier.reference in page and 'name="acknowledge" value="on"' in page
    done = client.post(
        reverse("findings:new"),
        _form(unit, world.a, acknowledge="on", document=SimpleUploadedFile("r.pdf", b"%PDF r")),
    )
    record = Inspection.objects.get(department=world.a)
    assert done.status_code == 302 and record.documents.count() == 1
    again = client.post(reverse("findings:new"), _form(unit, world.a, acknowledge="on"))
    assert "already recorded" in again.content.decode()  # recorded once
    bad = client.post(
        reverse("findings:add_finding", args=[record.pk]),
        {"subject": unit.pk, "clause": "M5.2", "severity": "serious", "description": "x",
         "rectification_required": "on", "deadline": "2026-10-01"},
    )  # fmt: skip
    assert bad.status_code == 400 and "within a year" in bad.content.decode()
    client.post(
        reverse("findings:add_finding", args=[record.pk]),
        {"subject": unit.pk, "clause": "M5.2", "severity": "serious",
         "description": "奖励比例不足70%", "links": "/office/contracts/1/",
         "rectification_required": "on", "deadline": "2026-12-01"},
    )  # fmt: skip
    finding = Finding.objects.get(inspection=record)
    client.post(
        reverse("findings:add_finding", args=[record.pk]),
        {"subject": unit.pk, "clause": "M5.3", "severity": "minor", "description": "多余"},
    )
    extra = Finding.objects.get(inspection=record, clause="M5.3")
    page = client.get(reverse("findings:detail", args=[record.pk])).content.decode()
    assert f'id="remove-{extra.pk}"' in page
    client.post(reverse("findings:remove_finding", args=[extra.pk]))
    assert list(Finding.objects.filter(inspection=record)) == [finding]
    client.post(reverse("findings:issue", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "issued"

    client.force_login(world.auditor_b)  # another department reads it
    page = client.get(reverse("findings:detail", args=[record.pk])).content.decode()
    assert "奖励比例不足70%" in page and 'id="amend"' not in page
    client.force_login(personas.enterprise)  # another unit: nothing
    assert client.get(reverse("findings:detail", args=[record.pk])).status_code == 404

    client.force_login(personas.transfer_office)
    page = client.get(reverse("findings:detail", args=[record.pk])).content.decode()
    assert f'id="rectify-{finding.pk}"' in page
    client.post(
        reverse("findings:rectify", args=[finding.pk]),
        {"text": "已补发奖励", "document": SimpleUploadedFile("凭证.pdf", b"%PDF paid")},
    )
    finding.refresh_from_db()
    assert finding.rectification == "submitted" and finding.documents.count() == 1
    kept = finding.documents.get()
    assert b"".join(client.get(reverse("findings:evidence", args=[kept.pk])).streaming_content) == (
        b"%PDF paid"
    )
    report = record.documents.get()
    assert client.get(reverse("findings:document", args=[report.pk])).status_code == 200
    client.force_login(personas.enterprise)  # another unit reads neither
    assert client.get(reverse("findings:evidence", args=[kept.pk])).status_code == 404
    assert client.get(reverse("findings:document", args=[report.pk])).status_code == 404
    client.force_login(personas.transfer_office)

    client.force_login(world.auditor_a)
    client.post(reverse("findings:review", args=[finding.pk]), {"rectified": "yes", "note": ""})
    finding.refresh_from_db()
    assert finding.rectification == "rectified"
    client.post(
        reverse("findings:amend", args=[record.pk]),
        {"target": finding.pk, "reason": "复核后调整", "severity": "significant"},
    )
    finding.refresh_from_db()
    assert finding.severity == "significant" and record.amendments.count() == 1
    page = client.get(reverse("findings:detail", args=[record.pk])).content.decode()
    assert "复核后调整" in page


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_m14_2_the_list_filters_pages_and_exports_in_every_language(
    client, personas, world, language
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    other = personas.organisations[Role.ENTERPRISE]
    issued(world.auditor_a, world.a, unit, findings=[plan(unit), plan(unit, clause="M5.3")])
    issued(
        world.auditor_b, world.b, other, reference="B-1", scope=scope(other), findings=[plan(other)]
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.force_login(personas.bureau)
    page = client.get(reverse("findings:list")).content.decode()
    assert page.count("data-finding=") == 3 and "data-label=" in page
    filtered = client.get(reverse("findings:list"), {"clause": "m5.3"}).content.decode()
    assert filtered.count("data-finding=") == 1
    by_department = client.get(
        reverse("findings:list"), {"department": world.b.pk}
    ).content.decode()
    assert by_department.count("data-finding=") == 1
    assert (
        client.get(reverse("findings:list"), {"clause": "M99"})
        .content.decode()
        .count("data-finding=")
        == 0
    )
    export = client.get(reverse("findings:export"), {"unit": unit.name})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and {r[7] for r in rows[1:]} == {"M5.2", "M5.3"}
    client.force_login(personas.enterprise)
    assert client.get(reverse("findings:list")).content.decode().count("data-finding=") == 1
    client.force_login(personas.researcher)
    assert client.get(reverse("findings:list")).status_code == 403


def test_m14_2_the_homes_list_drafts_rectifications_to_review_and_findings_to_rectify(
    client, personas, world
):
    from kttc.oversight.findings import services
    from kttc.oversight.findings.tests.factories import DAY, recorded

    unit = personas.organisations[Role.TRANSFER_OFFICE]
    recorded(world.auditor_a, world.a, unit, reference="draft-1")
    finding = issued(world.auditor_b, world.b, unit, reference="B-2").findings.get()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(personas.transfer_office)
    home = client.get(reverse("office:home")).content.decode()
    assert "Findings about your organisation to rectify" in home and "B-2" in home
    assert 'id="nav-findings"' in home
    client.force_login(world.auditor_a)
    assert (
        "Your department&#x27;s findings waiting to be issued"
        in client.get(reverse("office:home")).content.decode()
    )
    services.rectification_submit(
        actor=personas.transfer_office, finding=finding, text="已整改", today=DAY
    )
    client.force_login(world.auditor_b)
    home = client.get(reverse("office:home")).content.decode()
    assert "Rectifications waiting for your department&#x27;s review" in home
