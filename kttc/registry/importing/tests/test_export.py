"""Results exported in the import file's format (M8.6): the file imports again onto the same
results, every field kept; from the results list as a job with its file, or at once without a
script; only the results the person sees, only to the person who asked."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kttc.core.models import Job
from kttc.policy import calendar
from kttc.policy.roles import Role
from kttc.registry import importing
from kttc.registry.achievements import services
from kttc.registry.importing.export import export_xlsx
from kttc.registry.models import Achievement
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _result(personas, name, **changes):
    raw = achievement_raw(name=name, **changes)
    data = validate_achievement(raw, today=calendar.today_in_shanghai())
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    return services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)


def _snapshot(a):
    a.refresh_from_db()
    return (
        a.name, a.achievement_type, a.attribute, a.keywords, a.abstract, a.discipline_code,
        a.industry_code, a.trl, a.evaluation_level, a.formation_date, a.confidentiality,
        a.national_interest, a.transformation_modes, a.use_first_pay_later, a.advantage,
        [(u.name, u.share) for u in a.completing_units.all()],
        [(p.name, p.unit_name, p.share) for p in a.completers.all()],
        [(r.kind, r.number, r.status, r.grant_date, r.title) for r in a.ip_rights.all()],
        [(t.language, t.name, t.abstract, t.keywords) for t in a.translations.all()],
    )  # fmt: skip


def test_an_exported_file_imports_again_onto_the_same_results_unchanged(personas):
    completers = [
        {"name": "李明", "unit_name": "春城测试大学", "share": "62.5"},
        {"name": "赵华", "unit_name": "", "share": "37.5"},
    ]
    first = _result(personas, "高原蓝莓组培快繁技术", completers=completers, external_ref="R-1")
    second = _result(personas, "=SUM(A1)植物提取")  # a name a spreadsheet would compute
    before = [_snapshot(first), _snapshot(second)]
    content = export_xlsx([first.pk, second.pk])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == [c.header for c in importing.COLUMNS]
    assert sheet.cell(row=3, column=2).value == "=SUM(A1)植物提取"
    assert sheet.cell(row=3, column=2).data_type == "s"  # text, never a formula

    unit = personas.organisations[Role.TRANSFER_OFFICE]
    table = importing.read_rows(content, "成果.xlsx")
    result = importing.run_import(
        actor=personas.transfer_office, unit=unit, table=table, today=calendar.today_in_shanghai()
    )
    assert result.ok, [p.message for p in result.check.problems]
    assert sorted(result.updated) == sorted([first.pk, second.pk]) and not result.created
    assert Achievement.objects.count() == 2
    assert [_snapshot(first), _snapshot(second)] == before


def test_the_list_exports_as_a_job_with_its_file(client, personas):
    mine = [_result(personas, f"滇红茶加工{n}") for n in range(3)]
    client.force_login(personas.transfer_office)
    panel = client.post(reverse("registry:export"), {"scope": "all", "q": "滇红茶"}, **HTMX)
    job = Job.objects.get()
    assert panel.status_code == 200 and reverse("registry:export_run", args=[job.pk]) in (
        panel.content.decode()
    )
    assert client.get(reverse("registry:export_file", args=[job.pk])).status_code == 404
    done = client.post(reverse("registry:export_run", args=[job.pk]), **HTMX).content.decode()
    assert reverse("registry:export_file", args=[job.pk]) in done
    download = client.get(reverse("registry:export_file", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert sorted(r[1] for r in rows[1:]) == sorted(a.name for a in mine)
    client.force_login(personas.bureau)  # not the bureau's job, though it sees the results
    assert client.get(reverse("registry:export_file", args=[job.pk])).status_code == 404


def test_without_a_script_the_file_comes_at_once_with_the_ticked_results_only(client, personas):
    a, b = _result(personas, "普洱茶甲"), _result(personas, "普洱茶乙")
    client.force_login(personas.transfer_office)
    response = client.post(reverse("registry:export"), {"scope": "selected", "ids": [b.pk]})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[1] for r in rows[1:]] == ["普洱茶乙"]
    assert a.name not in str(rows)


def test_nothing_chosen_is_refused_and_no_one_exports_what_they_do_not_see(client, personas):
    other = _result(personas, "别人的成果")
    client.force_login(personas.enterprise)
    refused = client.post(reverse("registry:export"), {"scope": "selected", "ids": [other.pk]},
                          **HTMX)  # fmt: skip
    assert 'role="alert"' in refused.content.decode() and not Job.objects.exists()
