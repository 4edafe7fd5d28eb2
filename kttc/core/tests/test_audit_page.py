"""M14.1: the audit page for audit work: filters, pages, readable rows and exports, each showing
only the entries the reader may read."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from kttc.core import services
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.calendar import SHANGHAI
from kttc.policy.roles import Role


def _record(monkeypatch, *, when, actor, organisation, action, clauses, obj=None, after=None):
    monkeypatch.setattr(timezone, "now", lambda: when)
    with services.decision_transaction():
        entry = services.audit_record(
            actor=actor,
            organisation=organisation,
            action=action,
            obj=obj or organisation,
            before={"status": "draft"},
            after=after or {"status": "approved"},
            clauses=clauses,
        )
    monkeypatch.undo()
    return entry


@pytest.fixture
def record(personas, monkeypatch):
    """Entries of the office's own unit and of another unit, on several days and clauses."""
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    other = OrganisationFactory(name="另一所测试学院", name_en="Another Test College")
    bureau = personas.bureau

    def day(d: int) -> datetime:
        return datetime(2026, 11, d, 10, 0, tzinfo=SHANGHAI)

    return {
        "own_m3": _record(
            monkeypatch,
            when=day(2),
            actor=personas.transfer_office,
            organisation=unit,
            action="organisation.verify",
            clauses=["M3.2"],
        ),
        "own_m5": _record(
            monkeypatch,
            when=day(5),
            actor=bureau,
            organisation=unit,
            action="membership.grant",
            clauses=["M5.1", "M14.1"],
        ),
        "other_m3": _record(
            monkeypatch,
            when=day(3),
            actor=bureau,
            organisation=other,
            action="organisation.verify",
            clauses=["M3.2"],
            after={"status": '=HYPERLINK("http://x")'},
        ),
        "other_m5": _record(
            monkeypatch,
            when=day(9),
            actor=bureau,
            organisation=other,
            action="membership.grant",
            clauses=["M5.1"],
        ),
    }


def _seqs(response) -> set[int]:
    return {e.seq for e in response.context["page"].object_list}


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("office:audit"), params, HTTP_ACCEPT_LANGUAGE="en")


def test_m14_1_each_filter_narrows_the_record(client, personas, record):
    r, auditor = record, personas.auditor
    assert _seqs(_get(client, auditor, clause="M3.2")) == {r["own_m3"].seq, r["other_m3"].seq}
    assert _seqs(_get(client, auditor, clause="m5.1")) == {r["own_m5"].seq, r["other_m5"].seq}
    assert _seqs(_get(client, auditor, date_from="2026-11-03", date_to="2026-11-05")) == {
        r["other_m3"].seq,
        r["own_m5"].seq,
    }
    assert _seqs(_get(client, auditor, actor=personas.transfer_office.email)) == {r["own_m3"].seq}
    assert _seqs(_get(client, auditor, organisation="Another Test")) == {
        r["other_m3"].seq,
        r["other_m5"].seq,
    }
    assert _seqs(_get(client, auditor, organisation="另一所")) == {
        r["other_m3"].seq,
        r["other_m5"].seq,
    }
    assert _seqs(_get(client, auditor, action="membership.grant")) == {
        r["own_m5"].seq,
        r["other_m5"].seq,
    }
    assert _seqs(_get(client, auditor, q="另一所")) == {r["other_m3"].seq, r["other_m5"].seq}


def test_m14_1_filters_combine(client, personas, record):
    response = _get(
        client,
        personas.auditor,
        clause="M3.2",
        date_from="2026-11-03",
        action="organisation.verify",
    )
    assert _seqs(response) == {record["other_m3"].seq}
    none = _get(client, personas.auditor, clause="M3.2", date_from="2026-11-04")
    assert _seqs(none) == set()
    assert "No entry you may read matches these filters." in none.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"clause": "M99.9"}, "clause"),
        ({"clause": "x" * 500}, "clause"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_from": "99999-01-01"}, "date_from"),
        ({"date_from": "2026-11-09", "date_to": "2026-11-01"}, "date_to"),
        ({"actor": "a\x00b"}, "actor"),
        ({"action": "nonsense"}, "action"),
        ({"q": "y" * 1000}, "q"),
    ],
)
def test_m14_1_a_wrong_filter_is_an_error_beside_its_field_not_a_failure(
    client, personas, record, params, field
):
    response = _get(client, personas.auditor, **params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    error = response.context["form"].errors[field][0]
    assert f'<p class="error" role="alert">{escape(error)}</p>' in response.content.decode()


def test_m14_1_the_last_day_filter_includes_the_whole_day_and_the_far_future(
    client, personas, record
):
    assert record["other_m5"].seq in _seqs(_get(client, personas.auditor, date_to="2026-11-09"))
    assert len(_seqs(_get(client, personas.auditor, date_to="9999-12-31"))) == 4


def test_m14_1_pages_keep_the_filters(client, personas, record, settings):
    settings.KTTC_PAGE_SIZE = 1
    first = _get(client, personas.auditor, clause="M3.2")
    page = first.content.decode()
    assert "clause=M3.2&amp;page=2" in page
    second = _get(client, personas.auditor, clause="M3.2", page="2")
    assert _seqs(first) | _seqs(second) == {record["own_m3"].seq, record["other_m3"].seq}
    assert _seqs(_get(client, personas.auditor, clause="M3.2", page="99999999999999999999"))


def test_m14_1_a_units_office_never_reads_another_units_entries_even_through_filters(
    client, personas, record
):
    office = personas.transfer_office
    own = {record["own_m3"].seq, record["own_m5"].seq}
    assert _seqs(_get(client, office)) == own
    assert _seqs(_get(client, office, organisation="Another Test")) == set()
    assert _seqs(_get(client, office, clause="M5.1")) == {record["own_m5"].seq}
    assert _seqs(_get(client, office, q="另一所")) == set()
    for kind in ("csv", "xlsx"):
        response = client.get(reverse("office:audit_download", args=[kind]))
        seqs = {int(row[0]) for row in _rows(response, kind)[1:]}
        assert seqs == own


def _rows(response, kind: str) -> list[list]:
    assert response.status_code == 200
    if kind == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_m14_1_export_holds_the_filtered_entries_with_their_hashes(client, personas, record, kind):
    client.force_login(personas.auditor)
    response = client.get(
        reverse("office:audit_download", args=[kind]), {"clause": "M3.2"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = _rows(response, kind)
    header, body = rows[0], rows[1:]
    assert header[0] == "#" and header[-2:] == ["Hash", "Previous hash"]
    by_seq = {int(row[0]): row for row in body}
    assert set(by_seq) == {record["own_m3"].seq, record["other_m3"].seq}
    for seq, row in by_seq.items():
        entry = AuditEntry.objects.get(seq=seq)
        assert row[-2:] == [entry.hash, entry.previous_hash]
        assert datetime.fromisoformat(row[1]) == entry.created_at
        assert row[4] == "Organisation verified" and row[5] == "organisation.verify"
        assert "M3.2" in row[9]


def test_m14_1_export_headers_follow_the_readers_language(client, personas, record):
    client.force_login(personas.auditor)
    response = client.get(
        reverse("office:audit_download", args=["csv"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    header = _rows(response, "csv")[0]
    assert "上一条哈希" in header


def test_m14_1_export_neutralises_formula_like_text(client, personas, record, monkeypatch):
    from kttc.core.office import audit_export

    original = audit_export.rows

    def with_formula(entries):
        for row in original(entries):
            row[8] = '=HYPERLINK("http://evil")'
            yield row

    monkeypatch.setattr(audit_export, "rows", with_formula)
    client.force_login(personas.auditor)
    csv_rows = _rows(client.get(reverse("office:audit_download", args=["csv"])), "csv")
    assert csv_rows[1][8].startswith("'=")
    response = client.get(reverse("office:audit_download", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    cell = book.active.cell(row=2, column=9)
    assert cell.data_type == "s" and cell.quotePrefix


def test_m14_1_export_is_for_readers_of_the_record_only(client, personas, record):
    client.force_login(personas.researcher)
    assert client.get(reverse("office:audit_download", args=["csv"])).status_code == 403
    client.force_login(personas.auditor)
    assert client.get(reverse("office:audit_download", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("language", "label"),
    [("zh-hans", "机构核验通过"), ("en", "Organisation verified"), ("vi", "Đã xác minh tổ chức")],
)
def test_m14_1_actions_read_in_the_readers_language(client, personas, record, language, label):
    client.force_login(personas.auditor)
    page = client.get(reverse("office:audit"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label in page


def test_m14_1_rows_show_kind_clauses_as_chips_the_full_hash_and_the_change(
    client, personas, record
):
    page = _get(client, personas.auditor).content.decode()
    entry = record["own_m3"]
    assert f">{entry.hash}</code>" in page
    assert 'class="tag clause" href="?clause=M3.2"' in page
    assert "<summary>What changed</summary>" in page
    assert "<del>draft</del>" in page and "<ins>approved</ins>" in page
    assert " object (" not in page


def test_m14_1_every_model_of_the_platform_has_a_readable_name():
    """An entry names its object by ``str()``: none may read "ContractIncome object (2)"."""
    from django.apps import apps
    from django.db import models

    nameless = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("kttc.")
        and not m._meta.auto_created
        and m.__str__ is models.Model.__str__
    ]
    assert nameless == []


def test_m14_1_an_entry_written_with_a_default_name_reads_with_its_kind():
    from types import SimpleNamespace

    from django.utils import translation

    from kttc.core.templatetags.audit import audit_diff, audit_object

    old = SimpleNamespace(
        object_type="benefits.deductiblecost",
        object_repr="DeductibleCost object (2)",
        before=None,
        after={"amount": "100.00"},
    )
    with translation.override("en"):
        assert audit_object(old) == "deductible cost · #2"
    unknown = SimpleNamespace(object_type="gone.model", object_repr="Thing 7")
    assert audit_object(unknown) == "Thing 7"
    [change] = audit_diff(old)
    assert (change.key, change.before, change.after) == ("amount", "—", "100.00")


def test_m14_1_an_export_holds_at_most_its_bound_newest_first(
    client, personas, record, monkeypatch
):
    from kttc.core.office import audit_export

    monkeypatch.setattr(audit_export, "EXPORT_MAX", 2)
    client.force_login(personas.auditor)
    rows = _rows(client.get(reverse("office:audit_download", args=["csv"])), "csv")[1:]
    newest = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True)[:2]
    assert [int(r[0]) for r in rows] == list(newest)


LANGUAGES = ["zh-hans", "en", "vi", "th", "lo", "my", "km"]


def test_m14_1_every_action_of_the_demo_reads_as_a_label_in_every_language(client, db):
    from django.utils import translation

    from kttc.core.choices import AUDIT_ACTION_LABELS
    from kttc.core.demo import load_demo
    from kttc.core.models import User

    load_demo()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions and actions <= set(AUDIT_ACTION_LABELS)
    with translation.override("en"):
        english = {a: str(AUDIT_ACTION_LABELS[a]) for a in actions}
    client.force_login(User.objects.get(email="auditor@demo.kttc.example"))
    for language in LANGUAGES:
        with translation.override(language):
            labels = {a: str(AUDIT_ACTION_LABELS[a]) for a in actions}
        if language != "en":
            assert [a for a in actions if labels[a] == english[a]] == [], language
        response = client.get(reverse("office:audit"), HTTP_ACCEPT_LANGUAGE=language)
        page = response.content.decode()
        for entry in response.context["page"].object_list:
            assert escape(labels[entry.action]) in page
            assert f">{entry.action}<" not in page
