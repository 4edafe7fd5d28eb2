"""Bulk import of achievements (M8.6): every row checked, a report naming row, column and rule,
the whole file stored or nothing, re-import updates; through the functions, the CLI and the web."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from kttc.core.models import AuditEntry, Job
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from kttc.policy.roles import Role
from kttc.registry import importing, services
from kttc.registry.achievements import store
from kttc.registry.choices import EventKind
from kttc.registry.models import Achievement, AchievementEvent

TODAY = dt.date(2026, 11, 25)
HEADERS = [c.header for c in importing.COLUMNS]


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


@pytest.fixture
def office(personas):
    return personas.transfer_office


@pytest.fixture
def project(personas, unit):
    return services.fiscal_project_create(
        actor=personas.bureau,
        undertaking_unit=unit,
        competent_department="昆明市科学技术局",
        programme="重点研发计划",
        project_number="KM2026-001",
        title="高原植物开发",
        approval_date=dt.date(2026, 3, 1),
        budget=Decimal("500000.00"),
        transformation_obligation="许可或转让给本地企业",
        transformation_deadline=dt.date(2031, 3, 1),
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _row(i: int, **changes: object) -> dict[str, object]:
    """Row ``i`` of a file: the template's example, with its own reference and name."""
    row: dict[str, object] = {c.header: importing.example_value(c) for c in importing.COLUMNS}
    row["单位内部编号"] = f"CCU-{i:05d}"
    row["成果名称"] = f"高原特色植物提取物制备方法{i}"
    row["项目编号"] = None
    row.update(changes)
    return row


def _xlsx(rows: list[dict[str, object]], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = importing.DATA_SHEET
    headers = headers or HEADERS
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[dict[str, object]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in HEADERS])
    return buffer.getvalue().encode(encoding)


def _check(content: bytes, unit, filename: str = "成果.xlsx") -> importing.ImportCheck:
    return importing.check_file(importing.read_rows(content, filename), unit=unit, today=TODAY)


def _import(content: bytes, office, unit, filename: str = "成果.xlsx", **kw):
    table = importing.read_rows(content, filename)
    return importing.run_import(actor=office, unit=unit, table=table, today=TODAY, **kw)


def _problems(check) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code) for p in check.problems]


# --- storing: all or nothing, and re-import ----------------------------------------------------


def test_m8_6_a_1000_row_xlsx_is_imported_completely_and_audited(office, unit, project):
    progress: list[tuple[str, int, int]] = []
    # Every tenth result comes from a fiscal project, and is due on the platform (M8.6).
    content = _xlsx([_row(i, 项目编号="KM2026-001" if i % 10 == 0 else None) for i in range(1000)])

    result = _import(content, office, unit, progress=lambda *step: progress.append(step))

    assert result.ok and len(result.created) == 1000 and result.updated == []
    assert Achievement.objects.filter(unit=unit).count() == 1000
    assert AchievementEvent.objects.filter(kind=EventKind.IMPORTED).count() == 1000
    # One audit entry per result, as when entered by hand, and the chain still verifies.
    assert AuditEntry.objects.filter(action="achievement.create").count() == 1000
    assert audit_chain_verify().intact
    funded = Achievement.objects.filter(source_project=project)
    assert funded.count() == 100 and all(a.submission_due for a in funded)
    # Checked and stored a chunk at a time, with the progress of each.
    assert progress[0] == ("store", 0, 1000) and progress[-1] == ("store", 1000, 1000)
    assert ("store", 1000, 1000) not in progress[:-1]


def test_reimporting_the_same_file_updates_instead_of_duplicating(office, unit, project):
    rows = [_row(i) for i in range(100)]
    assert len(_import(_xlsx(rows), office, unit).created) == 100

    rows[7]["技术就绪度(1-9)"] = 8
    again = _import(_xlsx(rows), office, unit)

    assert again.ok and again.created == [] and len(again.updated) == 100
    assert Achievement.objects.filter(unit=unit).count() == 100
    changed = Achievement.objects.get(unit=unit, external_ref="CCU-00007")
    assert changed.trl == 8 and changed.stage == "mature"
    assert AuditEntry.objects.filter(action="achievement.update").count() == 100
    assert audit_chain_verify().intact


def test_rows_without_a_reference_are_matched_by_their_exact_name(office, unit):
    rows = [_row(1, 单位内部编号=None), _row(2, 单位内部编号=None)]
    _import(_xlsx(rows), office, unit)
    rows[0]["成果简介"] = "新的简介"
    again = _import(_xlsx(rows), office, unit)
    assert again.created == [] and len(again.updated) == 2
    assert Achievement.objects.get(name=rows[0]["成果名称"]).abstract == "新的简介"
    # A later file that adds the references adopts the results instead of adding new ones.
    with_refs = [_row(1), _row(2)]
    assert len(_import(_xlsx(with_refs), office, unit).updated) == 2
    assert sorted(Achievement.objects.values_list("external_ref", flat=True)) == [
        "CCU-00001",
        "CCU-00002",
    ]


def test_one_bad_row_in_1000_stores_nothing_and_the_report_marks_its_cell(office, unit):
    rows = [_row(i) for i in range(1000)]
    rows[500]["技术就绪度(1-9)"] = 12
    table = importing.read_rows(_xlsx(rows), "成果.xlsx")

    result = importing.run_import(actor=office, unit=unit, table=table, today=TODAY)

    assert not result.ok and not Achievement.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="achievement").exists()
    [problem] = result.check.problems
    assert (problem.row, problem.column, problem.code) == (
        502,
        "技术就绪度(1-9)",
        "achievement.trl",
    )
    assert "12" in problem.message

    report = load_workbook(io.BytesIO(importing.report_xlsx(table, result.check.problems, "en")))
    sheet = report[importing.DATA_SHEET]
    column = HEADERS.index("技术就绪度(1-9)") + 1
    cell = sheet.cell(row=502, column=column)
    assert cell.value == 12 and cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "readiness level must be 1 to 9" in cell.comment.text
    assert sheet.cell(row=503, column=column).comment is None
    assert sheet.cell(row=2, column=2).value == rows[0]["成果名称"]  # the rows keep their place
    listing = report["Problems"]
    assert [c.value for c in listing[1]] == ["Row", "Column", "Rule", "Message"]
    line = [c.value for c in listing[2]]
    assert line[:3] == [502, "技术就绪度(1-9) (Technology readiness level (1–9, GB/T 22900))",
                        "achievement.trl"]  # fmt: skip


def test_a_row_refused_while_storing_rolls_back_the_whole_file(office, unit, monkeypatch):
    assert _import(_xlsx([_row(i) for i in range(5)]), office, unit).ok
    entries = AuditEntry.objects.count()
    original = store.achievements_store

    def submitted_meanwhile(**kw):
        # Between the check and the store, the unit submits the result of row 5 (CCU-00003).
        target = Achievement.objects.get(external_ref="CCU-00003")
        services.achievement_submit(actor=office, achievement=target)
        return original(**kw)

    monkeypatch.setattr(store, "achievements_store", submitted_meanwhile)
    rows = [_row(i, 成果名称=f"新名称{i}") for i in range(6)]
    result = _import(_xlsx(rows), office, unit)
    assert not result.ok and result.created == [] and result.updated == []
    assert _problems(result.check) == [(5, "单位内部编号", "achievement.not_editable")]
    assert Achievement.objects.count() == 5
    assert not Achievement.objects.filter(name__startswith="新名称").exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db(transaction=True)
def test_a_follower_failing_after_the_commit_does_not_unsay_the_import(personas, caplog):
    from kttc.registry import signals

    def broken(**kw):
        raise RuntimeError("index down")

    signals.achievements_changed.connect(broken, dispatch_uid="test-broken")
    try:
        unit = personas.organisations[Role.TRANSFER_OFFICE]
        result = _import(_xlsx([_row(1), _row(2)]), personas.transfer_office, unit)
    finally:
        signals.achievements_changed.disconnect(dispatch_uid="test-broken")
    assert result.ok and len(result.created) == 2 and Achievement.objects.count() == 2
    assert "a follower failed" in caplog.text


# --- the rules each row is checked against -----------------------------------------------------


def test_m8_6_a_classified_row_is_refused_and_nothing_of_it_is_kept(office, unit):
    rows = [_row(1), _row(2, 密级="涉密", 成果名称="某秘密成果")]
    table = importing.read_rows(_xlsx(rows), "成果.xlsx")
    check = importing.check_file(table, unit=unit, today=TODAY)
    assert _problems(check) == [(3, "密级", "achievement.classified")]
    assert check.problems[0].clauses == ("M8.6",)
    report = load_workbook(io.BytesIO(importing.report_xlsx(table, check.problems, "en")))
    sheet = report[importing.DATA_SHEET]
    values = [c.value for c in sheet[3]]
    assert "某秘密成果" not in values and values[HEADERS.index("密级")] == "涉密"


def test_a_blank_confidentiality_is_not_taken_as_public(unit):
    check = _check(_xlsx([_row(1, 密级=None)]), unit)
    assert _problems(check) == [(2, "密级", "required")]


def test_every_problem_of_a_row_is_named_with_its_column(unit):
    row = _row(1, 成果名称="", 完成人="李明:60；王强:30", 成果类型="应用")
    row["学科代码(GB/T 13745)"] = "12"
    check = _check(_xlsx([row]), unit)
    assert sorted(_problems(check)) == sorted(
        [
            (2, "成果名称", "required"),
            (2, "学科代码(GB/T 13745)", "discipline.format"),
            (2, "完成人", "shares.total"),
            (2, "成果类型", "choice"),
        ]
    )
    choice = next(p for p in check.problems if p.code == "choice")
    assert "应用技术、基础理论、软科学" in choice.message


def test_duplicate_references_in_one_file_are_refused(unit):
    check = _check(_xlsx([_row(1), _row(2), _row(1, 成果名称="另一个")]), unit)
    assert _problems(check) == [(4, "单位内部编号", "import.ref_twice")]
    assert check.problems[0].params["row"] == 2 and "2" in check.problems[0].message


def test_two_new_rows_with_the_same_name_and_no_reference_are_refused(unit):
    rows = [_row(1, 单位内部编号=None), _row(1, 单位内部编号=None)]
    assert _problems(_check(_xlsx(rows), unit)) == [(3, "成果名称", "import.name_twice")]


def test_m8_6_a_submitted_result_cannot_be_changed_by_an_import(office, unit):
    _import(_xlsx([_row(1)]), office, unit)
    services.achievement_submit(actor=office, achievement=Achievement.objects.get())
    check = _check(_xlsx([_row(1)]), unit)
    assert _problems(check) == [(2, "单位内部编号", "achievement.not_editable")]
    assert check.problems[0].clauses == ("M8.6",)


def test_an_unknown_project_number_is_a_problem_of_its_column(unit):
    check = _check(_xlsx([_row(1, 项目编号="KM-NONE")]), unit)
    assert _problems(check) == [(2, "项目编号", "achievement.project")]


def test_unknown_duplicate_and_missing_headers_are_named(unit):
    headers = [h for h in HEADERS if h != "完成人"] + ["备注", "成果名称"]
    check = _check(_xlsx([_row(1)], headers=headers), unit)
    assert _problems(check) == [
        (1, "备注", "import.header_unknown"),
        (1, "成果名称", "import.header_twice"),
        (1, "完成人", "import.header_missing"),
    ]
    assert "完成人" in check.problems[2].message


def test_headers_in_any_order_with_notes_or_english_labels(office, unit):
    row = _row(1)
    headers = list(reversed(HEADERS))
    headers[headers.index("学科代码(GB/T 13745)")] = "学科代码"
    headers[headers.index("成果名称")] = "Name"
    row["学科代码"], row["Name"] = row["学科代码(GB/T 13745)"], row["成果名称"]
    result = _import(_xlsx([row], headers=headers), office, unit)
    assert result.ok and Achievement.objects.get().discipline_code == "41630"


def test_chinese_labels_become_the_registry_codes(office, unit):
    row = _row(
        1,
        成果类型="基础理论",
        密级="内部",
        转化方式="许可、作价投资",
        愿意先使用后付费="否",
        涉及国家安全或重大公共利益="是",
        完成单位="春城大学:60；昆明所：40",
        完成人="李明（春城大学）:70；王强:30",
        知识产权="发明专利|ZL201710601862.3|已授权|2019-05-01|一种方法；软件著作权|2020SR0012345|已登记|2020-03-01",
    )
    assert _import(_xlsx([row]), office, unit).ok
    a = Achievement.objects.get()
    assert (a.achievement_type, a.confidentiality) == ("basic", "restricted")
    assert a.transformation_modes == ["licence", "equity"]
    assert (a.use_first_pay_later, a.national_interest) == (False, True)
    assert [(u.name, u.share) for u in a.completing_units.all()] == [
        ("春城大学", 60),
        ("昆明所", 40),
    ]
    assert [(c.name, c.unit_name, c.share) for c in a.completers.all()] == [
        ("李明", "春城大学", 70),
        ("王强", "", 30),
    ]
    rights = {(r.kind, r.status) for r in a.ip_rights.all()}
    assert rights == {("invention", "granted"), ("software_copyright", "granted")}
    assert a.translations.get(language="en").keywords == ["plant extraction", "plateau"]


@pytest.mark.parametrize(
    "cell",
    [
        dt.datetime(2026, 9, 30),  # noqa: DTZ001 — an Excel cell has no time zone
        dt.date(2026, 9, 30),
        "2026/9/30",
        "2026年9月30日",
        46295,
    ],
)
def test_excel_dates_and_dates_written_as_text(office, unit, cell):
    assert _import(_xlsx([_row(1, 形成日期=cell)]), office, unit).ok
    assert Achievement.objects.get().formation_date == dt.date(2026, 9, 30)


def test_an_impossible_date_is_named(unit):
    assert _problems(_check(_xlsx([_row(1, 形成日期="2026-02-30")]), unit)) == [
        (2, "形成日期", "date")
    ]


# --- reading files -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gb18030(office, unit, encoding):
    content = _csv([_row(1), _row(2)], encoding)
    result = _import(content, office, unit, filename="成果.csv")
    assert result.ok and len(result.created) == 2
    assert Achievement.objects.filter(name="高原特色植物提取物制备方法1").exists()


def test_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_number(unit):
    rows = [_row(1), {}, _row(2)]
    rows[2]["技术就绪度(1-9)"] = "十"
    check = _check(_xlsx(rows), unit)
    assert check.total == 2 and _problems(check) == [(4, "技术就绪度(1-9)", "number")]


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"%PDF-1.4", "成果.pdf", "import.file_type"),
        (b"\xd0\xcf\x11\xe0old excel", "成果.xls", "import.file_type"),
        (b"PK\x03\x04broken", "成果.xlsx", "import.file_read"),
        (b'a\n"' + b"x" * 200_000 + b'"', "成果.csv", "import.cell_size"),  # beyond csv's limit
        (b"", "成果.csv", "import.file_empty"),
        ("成果名称\n".encode(), "成果.csv", "import.file_empty"),
        (b"\xff\xfe\xff\xfe\x00\xd8", "成果.csv", "import.file_encoding"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_error(content, filename, code):
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_rows(content, filename)
    assert info.value.code == code and info.value.field == "file"


def test_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(importing.reading, "MAX_ROWS", 3)
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_rows(_csv([_row(i) for i in range(4)], "utf-8"), "a.csv")
    assert info.value.code == "import.file_rows" and "3" in info.value.message
    monkeypatch.setattr(importing.reading, "MAX_BYTES", 10)
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_rows(b"x" * 11, "a.csv")
    assert info.value.code == "import.file_size"
    monkeypatch.setattr(importing.reading, "MAX_BYTES", 2**20)
    small = importing.Limits(unpacked_bytes=1000)  # a "zip bomb" in small
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_rows(_xlsx([_row(1)]), "a.xlsx", limits=small)
    assert info.value.code == "import.file_size" and "unpacks" in info.value.message


# --- the template ------------------------------------------------------------------------------


def test_the_template_explains_each_column_and_its_example_imports(office, unit):
    book = load_workbook(io.BytesIO(importing.template_xlsx()))
    assert book.sheetnames == [importing.DATA_SHEET, importing.HELP_SHEET, "示例"]
    data = book[importing.DATA_SHEET]
    assert [c.value for c in data[1]] == HEADERS and data.freeze_panes == "A2"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in data.data_validations.dataValidation}
    assert lists["C2"] == '"应用技术,基础理论,软科学"'
    assert '"公开,内部,涉密"' in lists.values() and '"是,否"' in lists.values()
    help_rows = list(book[importing.HELP_SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in help_rows] == HEADERS and all(r[3] for r in help_rows)
    example = book["示例"]
    rows = [dict(zip(HEADERS, (c.value for c in example[2]), strict=True))]
    assert _import(_xlsx([{**rows[0], "项目编号": None}]), office, unit).ok
    csv_template = importing.template_csv()
    assert csv_template.startswith(codecs.BOM_UTF8)
    assert csv_template[3:].decode().strip().split(",") == HEADERS


# --- the command ------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_shows_progress(tmp_path, office, unit):
    path = tmp_path / "成果.xlsx"
    path.write_bytes(_xlsx([_row(i) for i in range(3)]))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_achievements",
        str(path),
        unit=unit.credit_code,
        actor=office.email,
        language="en",
        stdout=out,
        stderr=err,
    )
    assert "3 created, 0 updated" in out.getvalue()
    assert "\rImporting [" in err.getvalue() and "100% 3/3" in err.getvalue()
    assert Achievement.objects.count() == 3


def test_the_command_stores_nothing_with_problems_and_writes_the_report(tmp_path, office, unit):
    path = tmp_path / "成果.xlsx"
    path.write_bytes(_xlsx([_row(1), _row(2, 关键词="")]))
    report = tmp_path / "report.xlsx"
    out = io.StringIO()
    with pytest.raises(CommandError, match="the file has 1 problem"):
        call_command(
            "import_achievements",
            str(path),
            actor=office.email,
            report=str(report),
            language="en",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "Row 3, column 关键词 (Keywords): At least one keyword is required." in out.getvalue()
    assert not Achievement.objects.exists()
    marked = load_workbook(report)[importing.DATA_SHEET].cell(row=3, column=5)
    assert marked.comment is not None


def test_the_command_dry_run_stores_nothing(tmp_path, office, unit):
    path = tmp_path / "成果.csv"
    path.write_bytes(_csv([_row(1)], "utf-8-sig"))
    out = io.StringIO()
    call_command(
        "import_achievements", str(path), actor=office.email, dry_run=True, language="en",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "1 results would be created" in out.getvalue() and not Achievement.objects.exists()


def test_the_command_refuses_a_person_without_the_unit(tmp_path, personas, unit):
    path = tmp_path / "成果.csv"
    path.write_bytes(_csv([_row(1)], "utf-8"))
    with pytest.raises(CommandError):
        call_command(
            "import_achievements", str(path), actor=personas.researcher.email,
            unit=unit.credit_code, stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert not Achievement.objects.exists()


# --- the web ----------------------------------------------------------------------------------


def _upload(client, content: bytes, name: str = "成果.xlsx", **data):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("registry:import"), {"file": file, **data})


def test_the_web_flow_uploads_runs_with_progress_and_shows_the_result(client, office, unit):
    client.force_login(office)
    page = client.get(reverse("registry:import"))
    assert page.status_code == 200
    assert reverse("registry:import_template", args=["xlsx"]) in page.content.decode()

    response = _upload(client, _xlsx([_row(i) for i in range(3)]))
    assert response.status_code == 302
    job_page = client.get(response["Location"])
    assert b"<progress" in job_page.content and b'role="status"' in job_page.content
    job = job_page.context["job"]
    status = client.get(reverse("registry:import_status", args=[job.id])).json()
    assert (status["state"], status["done"], status["total"]) == ("ready", 0, 3)

    run = client.post(
        reverse("registry:import_run", args=[job.id]), HTTP_ACCEPT="application/json"
    ).json()
    assert run["state"] == "done" and run["result_url"] == response["Location"]
    assert Achievement.objects.filter(unit=unit).count() == 3
    result = client.get(run["result_url"])
    assert result.context["created_count"] == 3 and b'data-outcome="stored"' in result.content
    # Running it again (a second tab) does not import twice.
    client.post(reverse("registry:import_run", args=[job.id]))
    assert Achievement.objects.count() == 3


def test_the_web_flow_without_javascript_and_with_problems(client, office, unit, settings):
    client.force_login(office)
    client.cookies["django_language"] = "en"
    response = _upload(client, _xlsx([_row(1), _row(2, 密级="涉密")]))
    job_url = response["Location"]
    job_id = client.get(job_url).context["job"].id
    result = client.post(reverse("registry:import_run", args=[job_id]), follow=True)
    page = result.content.decode()
    assert result.status_code == 200 and 'role="alert"' in page and 'data-outcome="refused"' in page
    assert "M8.6" in page and "achievement.classified" in page
    assert not Achievement.objects.exists()

    report = client.get(reverse("registry:import_report", args=[job_id, "xlsx"]))
    assert report.status_code == 200 and report["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    assert book[importing.DATA_SHEET].cell(row=3, column=2).value is None  # classified: blanked
    stored = bytes(Job.objects.get(pk=job_id).file).decode()  # the cells the report needs
    assert "高原特色植物提取物制备方法1" in stored and "高原特色植物提取物制备方法2" not in stored
    assert book["Problems"].cell(row=2, column=1).value == 3
    listing = client.get(reverse("registry:import_report", args=[job_id, "csv"]))
    assert "achievement.classified M8.6" in b"".join(listing.streaming_content).decode("utf-8-sig")


def test_a_wrong_file_is_refused_on_the_form(client, office):
    client.force_login(office)
    response = _upload(client, b"not a spreadsheet", name="成果.docx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_templates_download(client, office):
    client.force_login(office)
    xlsx = client.get(reverse("registry:import_template", args=["xlsx"]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames[0] == "科技成果"
    csv_file = client.get(reverse("registry:import_template", args=["csv"]))
    assert b"".join(csv_file.streaming_content).startswith(codecs.BOM_UTF8)
    assert client.get(reverse("registry:import_template", args=["pdf"])).status_code == 404


def test_a_researcher_cannot_import(client, personas):
    client.force_login(personas.researcher)
    assert client.get(reverse("registry:import")).status_code == 403
    assert _upload(client, _xlsx([_row(1)])).status_code == 403
    assert client.get(reverse("registry:import_template", args=["xlsx"])).status_code == 403
    assert not Achievement.objects.exists()


def test_another_units_office_cannot_import_for_the_unit_or_see_its_jobs(client, office, unit):
    other_unit = OrganisationFactory()
    other = UserFactory()
    MembershipFactory(user=other, organisation=other_unit, role=Role.TRANSFER_OFFICE.value)
    client.force_login(office)
    job_url = _upload(client, _xlsx([_row(1)]))["Location"]
    job_id = client.get(job_url).context["job"].id

    client.force_login(other)
    assert _upload(client, _xlsx([_row(1)]), unit=unit.pk).status_code == 403
    assert client.get(job_url).status_code == 404
    assert client.post(reverse("registry:import_run", args=[job_id])).status_code == 404
    assert client.get(reverse("registry:import_status", args=[job_id])).status_code == 404
    assert not Achievement.objects.exists()


def test_an_office_of_several_units_chooses_the_unit(client, office, unit):
    second = OrganisationFactory(name="昆明测试研究所")
    MembershipFactory(user=office, organisation=second, role=Role.TRANSFER_OFFICE.value)
    client.force_login(office)
    assert b'<select name="unit"' in client.get(reverse("registry:import")).content
    job_url = _upload(client, _xlsx([_row(1)]), unit=second.pk)["Location"]
    job_id = client.get(job_url).context["job"].id
    client.post(reverse("registry:import_run", args=[job_id]))
    assert Achievement.objects.get().unit == second


# --- large files: read as checked, stored a chunk at a time, validated in several processes --


def _file(tmp_path, rows, name="成果.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(_csv(rows, encoding) if name.endswith(".csv") else _xlsx(rows))
    return importing.FileTable(path)


def test_m8_6_a_bad_row_after_stored_chunks_undoes_the_whole_file(
    office, unit, monkeypatch, tmp_path
):
    monkeypatch.setattr(importing.checking, "CHUNK", 10)
    monkeypatch.setattr(importing.checking, "MIN_CHUNK", 10)
    rows = [_row(i) for i in range(35)]
    rows[32] = _row(32, **{"技术就绪度(1-9)": "12"})  # row 34 of the sheet, in the 4th chunk
    result = importing.run_import(actor=office, unit=unit, table=_file(tmp_path, rows), today=TODAY)
    assert not result.ok and result.created == []
    assert _problems(result.check) == [(34, "技术就绪度(1-9)", "achievement.trl")]
    assert not Achievement.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["成果.csv", "成果.xlsx"])
def test_several_workers_check_in_file_order_as_one_does(unit, monkeypatch, tmp_path, name):
    monkeypatch.setattr(importing.checking, "CHUNK", 7)
    monkeypatch.setattr(importing.checking, "MIN_CHUNK", 7)
    rows = [_row(i) for i in range(60)]
    for i in (3, 20, 21, 44, 59):
        rows[i] = _row(i, **{"完成人": "李明:50；王强:40"})
    rows[50] = _row(50, 单位内部编号="CCU-00010")  # the reference of row 12 again
    table = _file(tmp_path, rows, name)
    one = importing.check_file(table, unit=unit, today=TODAY)
    two = importing.check_file(table, unit=unit, today=TODAY, workers=2)
    assert _problems(two) == _problems(one)
    assert [p.row for p in one.problems] == [5, 22, 23, 46, 52, 61]
    assert (two.creates, two.total) == (one.creates, one.total) == (54, 60)


def test_the_command_imports_a_large_file_with_workers(office, unit, tmp_path):
    path = tmp_path / "成果.csv"
    path.write_bytes(_csv([_row(i) for i in range(300)], "gb18030"))
    out = io.StringIO()
    call_command(
        "import_achievements", str(path), "--as", office.email, "--workers", "2", stdout=out,
        stderr=io.StringIO(),
    )  # fmt: skip
    assert "300" in out.getvalue()
    assert Achievement.objects.filter(unit=unit).count() == 300


def test_a_file_read_as_checked_names_its_own_problems(unit, tmp_path):
    blank = tmp_path / "空.csv"
    blank.write_text("成果名称,密级\n\n", encoding="utf-8")
    with pytest.raises(importing.ImportFileError) as info:
        list(importing.FileTable(blank))
    assert info.value.code == "import.file_empty"
    wrong = tmp_path / "成果.pdf"
    wrong.write_bytes(b"%PDF")
    with pytest.raises(importing.ImportFileError) as info:
        importing.FileTable(wrong)
    assert info.value.code == "import.file_type"
    # A value in a column without a header is named by the column's letter.
    path = tmp_path / "多一列.csv"
    content = _csv([_row(1), _row(2)], "utf-8").decode().splitlines()
    content[2] += ",多余的值"
    path.write_text("\n".join(content) + "\n", encoding="utf-8")
    check = importing.check_file(importing.FileTable(path), unit=unit, today=TODAY)
    letter = get_column_letter(len(HEADERS) + 1)
    assert _problems(check) == [(1, letter, "import.header_empty")]
