"""M5.1: the roster, layout and payroll export pages as a unit's transfer office uses them
(numbers masked on pages, whole in the file; refusals beside their cell; the people lacking
payroll data named before the download), and everyone else kept out without a leak."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kttc.benefits.payroll import services
from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.benefits.payroll.tests.helpers import (
    LI_ACCOUNT,
    LI_ID,
    ZHAO_ACCOUNT,
    ZHAO_PASSPORT,
    distribution_of,
    li_and_zhao,
)
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.identifiers import make_resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def paid(personas, unit):
    distribution = distribution_of(personas, unit)
    li_and_zhao(personas, unit)
    return distribution


def _line_of(page, name):
    return next(line for line in page.context["lines"] if line["name"] == name)


def _roster_post(page, **cells):
    """The roster form as the page sends it, with ``cells`` (``"r0-staff_number": …``) changed."""
    form = page.context["form"]
    data = {"action": "save", "lines": str(len(page.context["lines"]))}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    data.update(cells)
    return data


def test_m5_1_the_roster_shows_each_person_with_numbers_masked(client, personas, unit, paid):
    client.force_login(personas.transfer_office)
    page = client.get(reverse("payroll:roster", args=[unit.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert [line["name"] for line in page.context["lines"] if line["known"]] == [
        "李明", "王芳", "赵华",
    ]  # fmt: skip
    assert "****" + LI_ID[-4:] in html and "****" + LI_ACCOUNT[-4:] in html
    for whole in (LI_ID, LI_ACCOUNT, ZHAO_PASSPORT, ZHAO_ACCOUNT):
        assert whole not in html  # never sent whole to a browser
    assert "KM0012" in html and "中国工商银行昆明分行" in html
    assert "1 person of the unit's teams has no payroll data yet." in html  # 王芳


def test_m5_1_the_office_fills_in_a_person_and_keeps_the_numbers_it_leaves_empty(
    client, personas, unit, paid
):
    client.force_login(personas.transfer_office)
    url = reverse("payroll:roster", args=[unit.pk])
    page = client.get(url)
    wang = _line_of(page, "王芳")["index"]
    li = _line_of(page, "李明")["index"]
    number = make_resident_id("53011119900215002")
    data = _roster_post(
        page,
        **{f"r{wang}-staff_number": "KM0056", f"r{wang}-id_type": "resident_id",
           f"r{wang}-id_number": number.lower(), f"r{wang}-bank_name": "富滇银行",
           f"r{wang}-bank_account": "6214 8300 1234 5678", f"r{li}-staff_number": "KM0013"},
    )  # fmt: skip
    done = client.post(url, data)
    assert done.status_code == 302, done.context["form"].errors
    wang_entry = RosterEntry.objects.get(unit=unit, name="王芳")
    assert (wang_entry.id_number, wang_entry.bank_account) == (number, "6214830012345678")
    li_entry = RosterEntry.objects.get(unit=unit, name="李明")
    assert (li_entry.staff_number, li_entry.id_number, li_entry.bank_account) == (
        "KM0013", LI_ID, LI_ACCOUNT,
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="payroll.roster_set").count() == 2 + 2


def test_gb11643_a_wrong_check_character_is_refused_beside_its_cell_and_nothing_stored(
    client, personas, unit, paid
):
    client.force_login(personas.transfer_office)
    url = reverse("payroll:roster", args=[unit.pk])
    page = client.get(url)
    wang = _line_of(page, "王芳")["index"]
    li = _line_of(page, "李明")["index"]
    good = make_resident_id("53011119900215002")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    before = AuditEntry.objects.count()
    data = _roster_post(
        page,
        **{f"r{wang}-id_type": "resident_id", f"r{wang}-id_number": wrong,
           f"r{li}-staff_number": "KM0099"},
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [f"r{wang}-id_number"]
    message = errors[f"r{wang}-id_number"][0]
    assert "resident identity card number does not check" in message
    assert "GB 11643-1999" in message and good[-1] in message
    html = response.content.decode()
    assert "王芳 · Identity document number" in html  # the summary names person and field
    assert RosterEntry.objects.get(name="李明").staff_number == "KM0012"  # nothing stored
    assert not RosterEntry.objects.filter(name="王芳").exists()
    assert AuditEntry.objects.count() == before


def test_m5_1_a_new_person_is_added_by_name_and_a_person_taken_off(client, personas, unit, paid):
    client.force_login(personas.transfer_office)
    url = reverse("payroll:roster", args=[unit.pk])
    page = client.get(url)
    new = next(line["index"] for line in page.context["lines"] if not line["known"])
    zhao = _line_of(page, "赵华")["index"]
    data = _roster_post(
        page,
        **{f"r{new}-name": "孙伟", f"r{new}-staff_number": "KM0077",
           f"r{zhao}-remove": "on"},
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert set(RosterEntry.objects.values_list("name", flat=True)) == {"李明", "孙伟"}
    again = client.get(url)
    new = next(line["index"] for line in again.context["lines"] if not line["known"])
    blank_name = _roster_post(again, **{f"r{new}-staff_number": "KM0078"})
    refused = client.post(url, blank_name)
    assert refused.status_code == 200 and f"r{new}-name" in refused.context["form"].errors


def test_m5_1_the_layout_page_saves_refuses_clearly_and_restores_the_default(
    client, personas, unit
):
    client.force_login(personas.transfer_office)
    url = reverse("payroll:layout", args=[unit.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Restore the default" not in page.content.decode()
    lines = [("name", "姓名"), ("amount", "金额"), ("outside_cap", "单列"),
             ("bank_account", "账号")]  # fmt: skip

    def post(rows):
        data = {"action": "save", "columns-count": str(len(rows))}
        for i, (column, header) in enumerate(rows):
            data[f"columns-{i}-column"], data[f"columns-{i}-header"] = column, header
        return client.post(url, data)

    for rows, expected in (
        ([*lines, ("salary", "工资")], "Line 5: “salary” is not a column the payroll can carry."),
        ([*lines, ("name", "名字")], "Line 5: this column is on line 1 already."),
        ([*lines, ("bank_name", "")], "Line 5: give the column a header."),
        ([*lines, ("bank_name", "账号")], "Line 5: the header “账号” is on line 4 already"),
        (lines[1:], "add name"),
    ):
        refused = post(rows)
        assert refused.status_code == 200, rows
        assert expected in refused.content.decode(), (rows, refused.context["form"].errors)
        assert not PayrollLayout.objects.exists()
    assert post(lines).status_code == 302
    assert PayrollLayout.objects.get(unit=unit).columns == [list(x) for x in lines]
    shown = client.get(url)
    assert shown.context["own"] and "Restore the default" in shown.content.decode()
    assert client.post(url, {"action": "reset"}).status_code == 302
    assert not PayrollLayout.objects.exists()


def test_m5_1_the_export_page_names_who_lacks_payroll_data_before_the_download(
    client, personas, unit, paid
):
    client.force_login(personas.transfer_office)
    distribution_page = client.get(reverse("contracts:distribution", args=[paid.pk]))
    export_url = reverse("payroll:export", args=[paid.pk])
    assert export_url in distribution_page.content.decode()
    page = client.get(export_url)
    html = page.content.decode()
    assert [p.name for p in page.context["lacking"]] == ["王芳"]
    assert "1 person the payroll pays lacks payroll data:" in html
    assert "王芳" in html and "not on the roster" in html
    assert reverse("payroll:roster", args=[unit.pk]) in html
    xlsx = client.get(reverse("payroll:download", args=[paid.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert LI_ID in next(r for r in rows if r[5] == "李明")
    csv = client.get(reverse("payroll:download", args=[paid.pk, "csv"]))
    assert LI_ACCOUNT in csv.content.decode("utf-8-sig")
    assert client.get(f"/office/payroll/distributions/{paid.pk}/payroll.exe").status_code == 404
    services.payroll_roster_save(
        actor=personas.transfer_office,
        unit=unit,
        changes=[services.RosterChange("王芳", staff_number="1", id_type="passport",
                                       id_number="P1", bank_name="b", bank_account="12345678")],
    )  # fmt: skip
    assert "Everyone the payroll pays has" in client.get(export_url).content.decode()


def test_m5_1_no_one_else_reaches_the_roster_the_layout_or_the_payroll(
    client, personas, unit, paid
):
    other = OrganisationFactory(name="另一所大学")
    other_office = MembershipFactory(organisation=other, role="transfer_office").user
    urls = [
        reverse("payroll:roster", args=[unit.pk]),
        reverse("payroll:roster_template", args=[unit.pk]),
        reverse("payroll:layout", args=[unit.pk]),
        reverse("payroll:export", args=[paid.pk]),
        reverse("payroll:download", args=[paid.pk, "xlsx"]),
        reverse("payroll:download", args=[paid.pk, "csv"]),
    ]
    for person in (other_office, personas.researcher, personas.bureau, personas.auditor):
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (person, url)
            html = response.content.decode()
            assert LI_ID not in html and "李明" not in html
        post = client.post(urls[0], {"action": "save", "lines": "1", "r0-name": "李明",
                                     "r0-bank_account": "99999999"})  # fmt: skip
        assert post.status_code == 404
        assert client.post(urls[2], {"action": "reset"}).status_code == 404
    assert RosterEntry.objects.get(name="李明").bank_account == LI_ACCOUNT
    # the bureau reads the distribution, not its payroll: no link to it either
    client.force_login(personas.bureau)
    page = client.get(reverse("contracts:distribution", args=[paid.pk]))
    assert page.status_code == 200 and "/office/payroll/" not in page.content.decode()
    # a person without a unit's office is refused the payroll's home, saying why
    client.force_login(personas.researcher)
    assert client.get(reverse("payroll:home")).status_code == 403
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # another unit's office keeps its own roster, and sees nothing of this one's people
    client.force_login(other_office)
    own = client.get(reverse("payroll:roster", args=[other.pk]))
    assert own.status_code == 200 and "李明" not in own.content.decode()


def test_the_payroll_pages_read_in_chinese(client, personas, unit, paid):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    client.force_login(personas.transfer_office)
    roster = client.get(reverse("payroll:roster", args=[unit.pk])).content.decode()
    assert "发放人员名册" in roster and "证件号码" in roster and "银行账号" in roster
    assert "居民身份证" in roster
    layout = client.get(reverse("payroll:layout", args=[unit.pk])).content.decode()
    assert "发放表格式" in layout and "恢复默认格式" not in layout  # the default is in force
    export = client.get(reverse("payroll:export", args=[paid.pk])).content.decode()
    assert "发放表中有 1 人缺少发放信息" in export and "不在名册中" in export
