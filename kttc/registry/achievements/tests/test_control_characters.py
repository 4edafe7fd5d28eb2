"""A result's title with a control character or a bidirectional override is refused wherever it
comes in (the bulk import, the API, the form), naming the field, and nothing is stored; a result
stored before with one never makes the feed fail."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from kttc.core import services as core_services
from kttc.policy.roles import Role
from kttc.registry import importing, services
from kttc.registry.achievements.tests.test_views import _form
from kttc.registry.models import Achievement
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

TODAY = dt.date(2026, 11, 25)
BAD = {"NUL": "\x00", "ESC": "\x1b", "RLO": "\u202e"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx_with_name(name: str, abstract: str = "提取与纯化方法。") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = importing.DATA_SHEET
    row = {c.header: importing.example_value(c) for c in importing.COLUMNS}
    row.update({"成果名称": name, "成果简介": abstract, "项目编号": None})
    sheet.append(list(row))
    sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_with_name(name: str) -> bytes:
    row = {c.header: importing.example_value(c) for c in importing.COLUMNS}
    row.update({"成果名称": name, "项目编号": ""})
    lines = [",".join(row), ",".join(f'"{v}"' for v in row.values())]
    return ("\n".join(lines) + "\n").encode()


# XML cannot hold C0 controls (an xlsx writes them as the text "_x001B_"): a workbook brings
# overrides and C1 controls, a CSV file anything.
@pytest.mark.parametrize(
    ("char", "make", "filename"),
    [("\x00", _csv_with_name, "成果.csv"), ("\x1b", _csv_with_name, "成果.csv"),
     ("\u202e", _csv_with_name, "成果.csv"), ("\u202e", _xlsx_with_name, "成果.xlsx"),
     ("\x9b", _xlsx_with_name, "成果.xlsx")],
    ids=["csv-NUL", "csv-ESC", "csv-RLO", "xlsx-RLO", "xlsx-CSI"],
)  # fmt: skip
def test_the_import_refuses_a_title_with_a_control_character_naming_the_column(
    personas, char, make, filename
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    table = importing.read_rows(make(f"高原{char}植物"), filename)
    result = importing.run_import(
        actor=personas.transfer_office, unit=unit, table=table, today=TODAY
    )
    assert not result.ok
    assert [(p.row, p.column, p.code) for p in result.check.problems] == [
        (2, "成果名称", "text.control_character")
    ]
    assert f"U+{ord(char):04X}" in result.check.problems[0].message
    assert not Achievement.objects.exists()


def test_the_import_keeps_the_line_breaks_of_an_abstract(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    table = importing.read_rows(_xlsx_with_name("高原植物", "第一段。\n第二段。"), "成果.xlsx")
    result = importing.run_import(
        actor=personas.transfer_office, unit=unit, table=table, today=TODAY
    )
    assert result.ok, result.check.problems
    assert Achievement.objects.get().abstract == "第一段。\n第二段。"


def _auth(person) -> dict[str, str]:
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
def test_the_api_refuses_a_title_with_a_control_character_naming_the_field(client, personas, char):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    response = client.post(
        f"/api/v1/units/{unit.pk}/achievements",
        achievement_raw(name=f"高原{char}植物"),
        content_type="application/json",
        **_auth(personas.transfer_office),
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == "name"
    assert f"U+{ord(char):04X}" in error["details"][0]["message"]
    assert not Achievement.objects.exists()


def test_the_api_refuses_a_control_character_inside_a_completers_name(client, personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    completers = [{"name": "李明\x1b", "unit_name": "春城测试大学", "share": "100"}]
    response = client.post(
        f"/api/v1/units/{unit.pk}/achievements",
        achievement_raw(completers=completers),
        content_type="application/json",
        **_auth(personas.transfer_office),
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == "completers"
    assert not Achievement.objects.exists()


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
def test_the_form_refuses_a_title_with_a_control_character_beside_the_field(client, personas, char):
    client.force_login(personas.transfer_office)
    response = client.post(reverse("registry:achievement_new"), _form(name=f"高原{char}植物"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name"}
    assert not Achievement.objects.exists()


def test_the_form_refuses_an_override_in_a_completers_line(client, personas):
    client.force_login(personas.transfer_office)
    completers = "李明\u202e, 春城测试大学, 70\n王强, 春城测试大学, 30"
    response = client.post(reverse("registry:achievement_new"), _form(completers=completers))
    assert set(response.context["form"].errors) == {"completers"}
    assert not Achievement.objects.exists()


def test_a_result_stored_with_control_characters_never_breaks_the_feed(
    client, personas, django_capture_on_commit_callbacks
):
    """Rows stored before the refusal existed: the feed leaves the characters out instead of
    answering 500 to everyone."""
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    data = validate_achievement(achievement_raw(), today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        a = services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
        services.achievement_submit(actor=personas.transfer_office, achievement=a)
        services.achievement_publish(actor=personas.bureau, achievement=a)
    Achievement.objects.filter(pk=a.pk).update(name="高原\x1b植物\u202e", abstract="一\x07二\n三")
    csv = client.get(reverse("catalog:export", args=["csv"]))
    assert csv.status_code == 200
    feed = client.get("/achievements/feed/")
    assert feed.status_code == 200
    assert "<title>高原植物</title>" in feed.content.decode()
