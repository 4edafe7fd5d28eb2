"""The bulk import of results in a real browser (M8.6): the unit's transfer office downloads the
template, uploads a file with problems and gets the report naming row, column and rule (nothing
stored), imports a clean file while the page shows its progress, imports it again (updated, not
duplicated), and reads the page in English."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import threading
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kttc.core.models import AuditEntry
from kttc.policy.roles import Role
from kttc.registry import services
from kttc.registry.choices import Status
from kttc.registry.importing import jobs as import_jobs
from kttc.registry.models import Achievement
from tests.browser.test_back_office import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = pytest.importorskip("playwright.sync_api").expect

PROJECT = "KM2026-001"
ROWS = 30


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The import jobs are kept under the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


@pytest.fixture
def project(personas, unit):
    """A fiscal project of the unit: its results are due on the platform (M8.6)."""
    return services.fiscal_project_create(
        actor=personas.bureau,
        undertaking_unit=unit,
        competent_department="昆明市科学技术局",
        programme="重点研发计划",
        project_number=PROJECT,
        title="高原特色植物资源开发",
        approval_date=dt.date(2026, 3, 1),
        budget=Decimal("500000.00"),
        transformation_obligation="许可或转让给本地企业",
        transformation_deadline=dt.date(2031, 3, 1),
    )


class HeldProgress:
    """Holds the import at its first progress report (no row done yet) and at the first one
    with rows done, each until the test lets it go on, so that the test can look at the page's
    progress bar in both states. ``seen`` records each hold as ``(phase, done, total)``."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, int]] = []
        self.releases = (threading.Event(), threading.Event())

    def report(self, phase: str, done: int, total: int) -> None:
        hold = len(self.seen)
        if hold < len(self.releases) and (done == 0) == (hold == 0):
            self.seen.append((phase, done, total))
            self.releases[hold].wait(timeout=20)

    def release(self, hold: int) -> None:
        self.releases[hold].set()


@pytest.fixture
def held_progress(monkeypatch):
    held = HeldProgress()
    original = import_jobs._Progress.__call__

    def progress(tick, phase, done, total):
        original(tick, phase, done, total)  # what the page polls, then the hold
        held.report(phase, done, total)

    monkeypatch.setattr(import_jobs._Progress, "__call__", progress)
    yield held
    for release in held.releases:  # never leave the server's thread waiting
        release.set()


def _row(i: int) -> dict[str, object]:
    """Row ``i`` as a unit would fill it in, by the template's Chinese headers."""
    return {
        "单位内部编号": f"CCTU-2026-{i:03d}",
        "成果名称": f"高原特色植物提取物制备方法{i}",
        "成果类型": "应用技术",
        "成果属性": "原始创新",
        "关键词": "植物提取；高原",
        "成果简介": "本成果提供一种高原特色植物有效成分的提取与纯化方法。",
        "学科代码(GB/T 13745)": "41630",
        "行业代码(GB/T 4754)": "C2710",
        "技术就绪度(1-9)": 6,
        "成果水平": "国内领先",
        "形成日期": dt.date(2026, 9, 30),
        "项目编号": PROJECT if i % 10 == 0 else None,
        "密级": "公开",
        "涉及国家安全或重大公共利益": "否",
        "转化方式": "许可；转让",
        "愿意先使用后付费": "是",
        "完成单位": "春城测试大学:60；昆明测试研究所:40",
        "完成人": "李明(春城测试大学):60；王强:40",
        "知识产权": "发明专利|ZL201710601862.3|已授权|2019-05-01",
        "英文名称": f"Preparation of plateau plant extracts {i}",
        "英文简介": "A method to extract and purify active ingredients of plateau plants.",
        "英文关键词": "plant extraction; plateau",
    }


def _malformed_csv(headers: list[str]) -> bytes:
    """Three rows: a good one (row 2), shares summing to 90 (row 3), a classified one (row 4)."""
    shares = {**_row(2), "完成人": "李明(春城测试大学):60；王强:30"}
    classified = {**_row(3), "密级": "涉密", "成果名称": "某涉密成果"}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in (_row(1), shares, classified):
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in headers])
    return codecs.BOM_UTF8 + buffer.getvalue().encode()


def _open_import_page(page, live_server) -> None:
    """From the back office, as the person would get there."""
    panel = page.locator("section.panel.role-transfer_office")
    panel.locator("a[href='/office/registry/import/']").click()
    page.wait_for_url(f"{live_server.url}/office/registry/import/")


def _download(page, link_name: str, folder):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path


def _upload(page, path) -> None:
    page.set_input_files("#id_file", str(path))
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()


def _problem_rows(page) -> list[list[str]]:
    rows = page.locator("#import-result table.problems tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]


def test_template_and_a_malformed_file_store_nothing_and_are_reported(
    page, live_server, personas, unit, artifacts, tmp_path
):
    sign_in(page, live_server, personas.transfer_office)
    _open_import_page(page, live_server)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_contain_text("导入文件")
    expect(page.locator("#upload-title")).to_have_text("上传")
    expect(page.locator("main .org")).to_contain_text(unit.name)
    expect(page.locator("label[for=id_file]")).to_have_text("文件")
    page.screenshot(path=artifacts / "20-import-page-zh-hans.png", full_page=True)

    # The template: the sheet 科技成果 with the Chinese headers, explained on 填写说明.
    name, template = _download(page, "下载模板（xlsx）", tmp_path)
    assert name == "科技成果导入模板.xlsx"
    book = load_workbook(template)
    assert book.sheetnames == ["科技成果", "填写说明", "示例"]
    headers = [c.value for c in book["科技成果"][1]]
    assert headers[:3] == ["单位内部编号", "成果名称", "成果类型"]
    assert {"密级", "完成单位", "完成人", "技术就绪度(1-9)", "形成日期"} <= set(headers)
    assert [c.value for c in book["填写说明"]["A"]][1:] == headers

    # A file with two bad rows is checked as a whole and refused.
    malformed = tmp_path / "成果-有问题.csv"
    malformed.write_bytes(_malformed_csv(headers))
    _upload(page, malformed)
    result = page.locator("#import-result")
    expect(result.locator("h2")).to_have_text("未保存任何内容")
    expect(result.locator("[role=alert] p")).to_contain_text("文件中有 2 个问题")
    expect(page.locator("main")).to_contain_text("成果-有问题.csv")
    headings = result.locator("table.problems thead th").all_inner_texts()
    assert headings == ["行", "列", "说明", "规则"]
    share, secret = _problem_rows(page)
    assert share[:2] == ["3", "完成人"] and share[3] == "shares.total"
    assert "90" in share[2]
    assert secret[:2] == ["4", "密级"] and secret[3] == "achievement.classified M8.6"
    assert "涉密" in secret[2]
    expect(result).not_to_contain_text("某涉密成果")  # nothing of a classified row is shown
    page.screenshot(path=artifacts / "21-import-problems-zh-hans.png", full_page=True)

    # The marked copy: the bad cells filled red and commented, the classified row blanked.
    name, report = _download(page, "下载标出错误单元格的文件（xlsx）", tmp_path)
    assert name == "成果-有问题-问题清单.xlsx"
    marked = load_workbook(report)
    sheet = marked["科技成果"]
    completers = sheet.cell(row=3, column=headers.index("完成人") + 1)
    assert completers.value == "李明(春城测试大学):60；王强:30"
    assert completers.fill.fgColor.rgb.endswith("FFC7CE") and "90" in completers.comment.text
    secrecy = sheet.cell(row=4, column=headers.index("密级") + 1)
    assert secrecy.value == "涉密" and secrecy.comment is not None
    assert sheet.cell(row=4, column=headers.index("成果名称") + 1).value is None
    assert sheet.cell(row=2, column=headers.index("成果名称") + 1).comment is None
    listing = [[c.value for c in line] for line in marked["问题清单"].iter_rows()]
    assert listing[0] == ["行", "列", "规则", "说明"]
    assert [line[:3] for line in listing[1:]] == [
        [3, "完成人", "shares.total"],
        [4, "密级", "achievement.classified M8.6"],
    ]

    # All or nothing: not even the good row was stored, and nothing was audited.
    assert not Achievement.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="achievement").exists()


def test_a_clean_file_imports_with_progress_and_again_updates(
    page, live_server, personas, unit, project, held_progress, artifacts, tmp_path
):
    sign_in(page, live_server, personas.transfer_office)
    _open_import_page(page, live_server)

    # The unit fills in the template it downloaded.
    _, path = _download(page, "下载模板（xlsx）", tmp_path)
    book = load_workbook(path)
    sheet = book["科技成果"]
    headers = [c.value for c in sheet[1]]
    for i in range(1, ROWS + 1):
        row = _row(i)
        for column, header in enumerate(headers, start=1):
            sheet.cell(row=i + 1, column=column, value=row.get(header))
    filled = tmp_path / "春城测试大学-成果.xlsx"
    book.save(filled)

    _upload(page, filled)
    # The page follows the import as it runs: first nothing done, then rows done.
    status = page.locator("#import-status")
    bar = page.locator("#import-progress")
    expect(status).to_have_text(re.compile(rf"已检查(并保存)? 0 行，共 {ROWS} 行。"))
    expect(bar).to_have_js_property("max", ROWS)
    expect(bar).to_have_js_property("value", 0)
    expect(page.locator("#import-run-form")).to_be_hidden()  # no second run from this tab
    held_progress.release(0)
    expect(status).to_have_text(re.compile(rf"已检查(并保存)? [1-9]\d* 行，共 {ROWS} 行。"))
    phase, done, total = held_progress.seen[1]
    assert total == ROWS and 0 < done <= ROWS
    verb = {"check": "已检查", "store": "已检查并保存"}[phase]
    expect(status).to_have_text(f"{verb} {done} 行，共 {ROWS} 行。")
    expect(bar).to_have_js_property("value", done)
    page.screenshot(path=artifacts / "22-import-progress-zh-hans.png", full_page=True)
    held_progress.release(1)

    result = page.locator("#import-result")
    expect(result.locator("h2")).to_have_text("文件已导入")
    expect(result).to_contain_text(f"已新建 {ROWS} 项成果、更新 0 项")
    expect(result.locator("li a")).to_have_count(ROWS)
    expect(result.locator("li a").first).to_have_text("高原特色植物提取物制备方法1")
    page.screenshot(path=artifacts / "23-import-done-zh-hans.png", full_page=True)

    drafts = Achievement.objects.filter(unit=unit, status=Status.DRAFT)
    assert drafts.count() == ROWS == Achievement.objects.count()
    assert sorted(drafts.values_list("external_ref", flat=True)) == [
        f"CCTU-2026-{i:03d}" for i in range(1, ROWS + 1)
    ]
    funded = drafts.filter(source_project=project)
    assert funded.count() == ROWS // 10 and all(a.submission_due for a in funded)
    assert AuditEntry.objects.filter(action="achievement.create").count() == ROWS

    # The same file again: the results are updated, none is added twice.
    page.get_by_role("link", name="导入其他文件").click()
    page.wait_for_url(f"{live_server.url}/office/registry/import/")
    _upload(page, filled)
    expect(result.locator("h2")).to_have_text("文件已导入")
    expect(result).to_contain_text(f"已新建 0 项成果、更新 {ROWS} 项")
    expect(result.locator("li a")).to_have_count(ROWS)
    page.screenshot(path=artifacts / "24-import-again-zh-hans.png", full_page=True)

    assert Achievement.objects.count() == ROWS
    assert AuditEntry.objects.filter(action="achievement.create").count() == ROWS
    assert AuditEntry.objects.filter(action="achievement.update").count() == ROWS


def test_the_import_page_in_english(page, live_server, personas, artifacts, tmp_path):
    sign_in(page, live_server, personas.transfer_office)
    _open_import_page(page, live_server)

    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("#language-submit")
    page.wait_for_url(f"{live_server.url}/office/registry/import/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_contain_text("Import a file")
    expect(page.locator("#upload-title")).to_have_text("Upload")
    expect(page.locator("label[for=id_file]")).to_have_text("File")
    expect(page.locator("#id_file-help")).to_contain_text("An xlsx or csv file")
    expect(page.get_by_role("link", name="Download the template (xlsx)")).to_be_visible()
    expect(page.get_by_role("link", name="Download the template (csv)")).to_be_visible()
    expect(page.get_by_role("button", name="Upload and check")).to_be_visible()
    columns = page.locator("details.panel")
    expect(columns.locator("summary")).to_have_text("The columns")
    columns.locator("summary").click()
    expect(columns.locator("thead th")).to_have_text(
        ["Column", "In English", "Required", "How to fill it in", "Values", "Example"]
    )
    expect(columns.locator("tbody tr", has_text="完成人").locator("td").first).to_have_text(
        "Completers"
    )
    page.screenshot(path=artifacts / "25-import-page-en.png", full_page=True)

    # The template keeps its Chinese headers; its name is English.
    name, template = _download(page, "Download the template (xlsx)", tmp_path)
    assert name == "achievements-import-template.xlsx"
    headers = [c.value for c in load_workbook(template)["科技成果"][1]]
    assert "成果名称" in headers

    malformed = tmp_path / "results.csv"
    malformed.write_bytes(_malformed_csv(headers))
    _upload(page, malformed)
    result = page.locator("#import-result")
    expect(result.locator("h2")).to_have_text("Nothing was stored")
    expect(result.locator("[role=alert] p")).to_contain_text("The file has 2 problems.")
    expect(result.locator("table.problems thead th")).to_have_text(
        ["Row", "Column", "Message", "Rule"]
    )
    share, secret = _problem_rows(page)
    assert share[:2] == ["3", "完成人 (Completers)"] and "sum to 100" in share[2]
    assert secret[:2] == ["4", "密级 (Confidentiality)"] and "Classified" in secret[2]
    expect(
        page.get_by_role("link", name="Download the file with the bad cells marked (xlsx)")
    ).to_be_visible()
    page.screenshot(path=artifacts / "26-import-problems-en.png", full_page=True)
    assert not Achievement.objects.exists()
