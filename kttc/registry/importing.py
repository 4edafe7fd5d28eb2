"""Bulk import of achievements from xlsx and csv files with Chinese headers (M8.6).

One row is one achievement. Each cell is parsed into the raw shape of
:func:`kttc.registry.validation.validate_achievement`, every row is validated, and every problem
is reported with its row (as numbered in the spreadsheet, header = row 1), column and rule. A file
with any problem stores nothing; a clean file is stored in one transaction through the registry's
services, so the rows are audited like entries made by hand (one audit entry per result).

Re-importing updates instead of duplicating: a row is matched to the unit's result with the same
单位内部编号 (``external_ref``); a row without one, or whose reference the unit does not know yet,
is matched to the unit's result with exactly the same name (and no reference of its own).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import logging
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from kttc.core.errors import AccessDenied, translated_message
from kttc.core.models import Organisation, User
from kttc.core.selectors import user_can
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.registry import services
from kttc.registry.models import Achievement, FiscalProject
from kttc.registry.validation import AchievementData, Invalid, validate_achievement

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 64
DATA_SHEET = "科技成果"
HELP_SHEET = "填写说明"
EXAMPLE_SHEET = "示例"
TEMPLATE_TEXT_ROWS = 1000
#: Called with the phase ("check" or "store"), the rows done and the rows in all.
Progress = Callable[[str, int, int], None]


# --- the columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """Values of a cell: each code with its Chinese labels (the first is the one offered)."""

    labels: dict[str, tuple[str, ...]]

    def offered(self) -> list[str]:
        return [names[0] for names in self.labels.values()]

    def code(self, text: str) -> str | None:
        lowered = text.lower()
        for code, names in self.labels.items():
            if lowered == code or lowered in (n.lower() for n in names):
                return code
        return None


TYPES = Choices({"applied": ("应用技术",), "basic": ("基础理论",), "soft": ("软科学",)})
ATTRIBUTES = Choices(
    {
        "original": ("原始创新", "原始性创新"),
        "imported": ("引进消化吸收再创新", "国外引进消化吸收再创新", "国外引进消化吸收创新"),
        "secondary": ("国内技术二次开发", "二次开发"),
    }
)
LEVELS = Choices(
    {
        "international_leading": ("国际领先",),
        "international_advanced": ("国际先进",),
        "domestic_leading": ("国内领先",),
        "domestic_advanced": ("国内先进",),
        "not_evaluated": ("未评价", "未鉴定"),
    }
)
SECRECY = Choices(
    {
        "public": ("公开",),
        "restricted": ("内部", "非公开"),
        "classified": ("涉密", "秘密", "机密", "绝密"),
    }
)
MODES = Choices(
    {
        "transfer": ("转让",),
        "licence": ("许可", "许可使用"),
        "equity": ("作价投资",),
        "joint_development": ("合作开发", "合作实施"),
    }
)
IP_KINDS = Choices(
    {
        "invention": ("发明专利",),
        "utility_model": ("实用新型专利", "实用新型"),
        "design": ("外观设计专利", "外观设计"),
        "software_copyright": ("软件著作权", "计算机软件著作权"),
        "plant_variety": ("植物新品种权", "植物新品种"),
        "other": ("其他",),
    }
)
IP_STATUSES = Choices(
    {
        "pending": ("申请中", "已受理", "审查中"),
        "granted": ("已授权", "已登记"),
        "lapsed": ("已失效", "失效"),
    }
)
YES_NO = Choices({"yes": ("是", "y", "true", "1", "√", "✓"), "no": ("否", "n", "false", "0")})


@dataclass(frozen=True)
class Column:
    """A column of the import file: its Chinese header (as on the national registration form),
    the key it fills, its English label and how to fill it in (both gettext msgids)."""

    header: str
    key: str
    label: str
    help: str
    example: str
    required: bool = False
    choices: Choices | None = None
    width: int = 16


COLUMNS: tuple[Column, ...] = (
    Column("单位内部编号", "external_ref", gettext_noop("Unit's reference"), gettext_noop(
        "Your unit's own number for the result, unique within the unit. Importing a row with a "
        "known number again updates that result; a row without one updates the result with "
        "exactly the same name."), "CCU-2026-001"),
    Column("成果名称", "name", gettext_noop("Name"), gettext_noop("At most 300 characters."),
           "高原特色植物提取物制备方法", True, width=30),
    Column("成果类型", "achievement_type", gettext_noop("Type"),
           gettext_noop("Choose from the list."), "应用技术", True, TYPES),
    Column("成果属性", "attribute", gettext_noop("Attribute"),
           gettext_noop("Choose from the list; a blank cell means the first value."),
           "原始创新", choices=ATTRIBUTES),
    Column("关键词", "keywords", gettext_noop("Keywords"),
           gettext_noop("1 to 10 keywords separated by ；, “,” or 、."), "植物提取；高原", True),
    Column("成果简介", "abstract", gettext_noop("Abstract"),
           gettext_noop("At most 5,000 characters."),
           "本成果提供一种高原特色植物有效成分的提取与纯化方法。", True, width=40),
    Column("学科代码(GB/T 13745)", "discipline_code", gettext_noop("Discipline code (GB/T 13745)"),
           gettext_noop("3, 5 or 7 digits, e.g. 4163010."), "41630", True),
    Column("行业代码(GB/T 4754)", "industry_code", gettext_noop("Industry code (GB/T 4754)"),
           gettext_noop("A section letter and a 2- to 4-digit class, e.g. C2710."), "C2710",
           True),
    Column("技术就绪度(1-9)", "trl", gettext_noop("Technology readiness level (1–9, GB/T 22900)"),
           gettext_noop("A whole number from 1 to 9."), "6", True),
    Column("成果水平", "evaluation_level", gettext_noop("Level"),
           gettext_noop("Choose from the list; a blank cell means not evaluated."), "国内领先",
           choices=LEVELS),
    Column("形成日期", "formation_date", gettext_noop("Formation date"), gettext_noop(
        "A date cell, or text such as 2026-09-30 or 2026/9/30; not in the future."),
        "2026-09-30", True),
    Column("项目编号", "project_number", gettext_noop("Fiscal project number"), gettext_noop(
        "For results of a fiscally funded project: its number as registered for your unit; the "
        "result is then due on the platform within the months set by M8.6."), "KM2026-001"),
    Column("密级", "confidentiality", gettext_noop("Confidentiality"), gettext_noop(
        "Required in every row: a blank cell is not taken as public. Classified results "
        "are never entered on the platform (M8.6); such a row is refused."), "公开", True,
        SECRECY),
    Column("涉及国家安全或重大公共利益", "national_interest",
           gettext_noop("Touches national security or major public interests (M1.8)"),
           gettext_noop("Yes or no (是 or 否); a blank cell means no."), "否", choices=YES_NO),
    Column("转化方式", "transformation_modes", gettext_noop("Transformation wanted"),
           gettext_noop("None, one or several of the values, separated by ；."), "许可；转让",
           choices=MODES),
    Column("愿意先使用后付费", "use_first_pay_later",
           gettext_noop("Willing to license “use first, pay later” (M3.2)"),
           gettext_noop("Yes or no (是 or 否); a blank cell means no."), "是", choices=YES_NO),
    Column("转化条件", "asking_terms", gettext_noop("Asking terms"),
           gettext_noop("At most 2,000 characters."), "许可费面议"),
    Column("技术优势", "advantage", gettext_noop("Advantage over existing solutions"),
           gettext_noop("At most 2,000 characters."), "成本低、收率高"),
    Column("目标市场", "target_market", gettext_noop("Target market"),
           gettext_noop("At most 2,000 characters."), "医药企业"),
    Column("市场路径", "route_to_market", gettext_noop("Route to market"),
           gettext_noop("At most 2,000 characters."), "先使用后付费许可"),
    Column("完成单位", "units", gettext_noop("Completing units"), gettext_noop(
        "In order of contribution, unit:share, separated by ；. Shares are in %% and sum to 100; "
        "a single unit may leave out its share."), "春城大学:60；昆明所:40", True, width=30),
    Column("完成人", "completers", gettext_noop("Completers"), gettext_noop(
        "In order of contribution, name(unit):share, separated by ；. The unit may be left out; "
        "shares are in %% and sum to 100."), "李明(春城大学):60；王强:40", True, width=30),
    Column("知识产权", "ip_rights", gettext_noop("IP rights"), gettext_noop(
        "One right per entry, separated by ；: kind|number|status|grant date|title (the title may "
        "be left out). Kinds: %(kinds)s. Statuses: %(statuses)s. A granted right needs its grant "
        "date; patent numbers are checked (ZC 0006-2003)."),
        "发明专利|ZL201710601862.3|已授权|2019-05-01", width=40),
    Column("英文名称", "name_en", gettext_noop("Name in English"),
           gettext_noop("Give the English name and abstract together, or neither."),
           "Preparation of plateau plant extracts", width=30),
    Column("英文简介", "abstract_en", gettext_noop("Abstract in English"),
           gettext_noop("Give the English name and abstract together, or neither."),
           "A method to extract and purify active ingredients of plateau plants.", width=40),
    Column("英文关键词", "keywords_en", gettext_noop("Keywords in English"),
           gettext_noop("Separated by ； or “,”."), "plant extraction; plateau"),
)  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}
#: Fields of the validation that belong to another column than their name says.
FIELD_COLUMN = {"kind": "ip_rights", "number": "ip_rights", "status": "ip_rights",
                "grant_date": "ip_rights", "patent_number": "ip_rights"}  # fmt: skip


def _normal_header(text: Any) -> str:
    """A header without spaces, a parenthesised note, a required-mark star or letter case."""
    value = re.sub(r"[(（].*?[)）]", "", str(text or ""))
    return re.sub(r"[\s*＊]", "", value).lower()


_HEADERS = {_normal_header(c.header): c for c in COLUMNS} | {
    _normal_header(c.label): c for c in COLUMNS
}


def column_for(header: str) -> Column | None:
    """The column a header (Chinese, or the English label) names."""
    return _HEADERS.get(_normal_header(header))


def column_help(column: Column) -> str:
    text = gettext(column.help)
    if column.key == "ip_rights":
        text %= {
            "kinds": "、".join(IP_KINDS.offered()),
            "statuses": "、".join(IP_STATUSES.offered()),
        }
    return text.replace("%%", "%")


# --- reading a file --------------------------------------------------------------------------


class ImportFileError(PolicyError):
    """The file itself cannot be read: its type, size or shape."""

    def __init__(self, template: str, *, code: str, **params: object) -> None:
        super().__init__(template, code=code, field="file", params=params)


@dataclass(frozen=True)
class Row:
    number: int  # as in the spreadsheet, the header being row 1
    values: tuple[Any, ...]


@dataclass
class Table:
    """The cells of a file: the headers as written, and the non-empty rows below them."""

    headers: list[str]
    rows: list[Row]

    def to_json(self) -> bytes:
        rows = [[r.number, list(r.values)] for r in self.rows]
        return json.dumps({"headers": self.headers, "rows": rows}, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Table:
        loaded = json.loads(data)
        return cls(loaded["headers"], [Row(n, tuple(v)) for n, v in loaded["rows"]])


def _cell(value: Any) -> Any:
    """A cell as plain JSON data: dates as ISO text, whole floats as int, text stripped."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)  # a time or a duration: kept as text


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportFileError(
            gettext_noop("The file has %(size)s MB; at most %(max)s MB can be imported."),
            code="import.file_size",
            size=round(size / 2**20, 1),
            max=MAX_BYTES // 2**20,
        )


def read_rows(content: bytes, filename: str) -> Table:
    """Read an .xlsx (the sheet 科技成果, else the first) or a .csv (UTF-8 with or without BOM,
    or GB18030 as Chinese Excel writes it); raise :class:`ImportFileError` otherwise."""
    check_size(len(content))
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx" and content.startswith(b"PK"):
        lines: Iterable[Sequence[Any]] = _xlsx_lines(content)
    elif suffix in ("csv", "txt"):
        lines = _csv_lines(content)
    else:
        raise ImportFileError(
            gettext_noop(
                "%(name)s is not an xlsx or csv file. Save it from Excel as an “Excel workbook "
                "(.xlsx)” or as “CSV UTF-8”."
            ),
            code="import.file_type",
            name=filename,
        )
    try:
        return _table(lines)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds of error on a damaged file
        template = (
            gettext_noop("The file cannot be read as an xlsx workbook.")
            if suffix == "xlsx"
            else gettext_noop("The file cannot be read as a CSV table.")
        )
        raise ImportFileError(template, code="import.file_read") from exc


def _xlsx_lines(content: bytes) -> Iterator[Sequence[Any]]:
    # A small workbook can unpack to gigabytes (a "zip bomb"); openpyxl would hold its strings.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                gettext_noop("The workbook unpacks to more than %(max)s MB; split it."),
                code="import.file_size",
                max=MAX_UNPACKED_BYTES // 2**20,
            )
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    finally:
        book.close()


def _csv_lines(content: bytes) -> Iterator[Sequence[Any]]:
    text = None
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (b"", "utf-8"),
        (b"", "gb18030"),
    ):
        if content.startswith(bom):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise ImportFileError(
            gettext_noop("The CSV file is neither UTF-8 nor GB18030 text."),
            code="import.file_encoding",
        )
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield line[:MAX_COLUMNS]


def _width(values: Sequence[Any]) -> int:
    return max((i + 1 for i, v in enumerate(values) if v not in (None, "")), default=0)


def _table(lines: Iterable[Sequence[Any]]) -> Table:
    headers: list[str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        values = [_cell(v) for v in line]
        if headers is None:
            headers = ["" if v is None else str(v) for v in values]
            continue
        if all(v in (None, "") for v in values):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                gettext_noop("The file has more than %(max)s rows; split it into several files."),
                code="import.file_rows",
                max=MAX_ROWS,
            )
        rows.append(Row(number, tuple(values)))
    if headers is None or not any(headers):
        raise ImportFileError(gettext_noop("The file is empty."), code="import.file_empty")
    # As wide as the last column with a header or a value (a sheet may report more).
    width = max([_width(headers), *(_width(r.values) for r in rows)])
    headers = (headers + [""] * width)[:width]
    rows = [Row(r.number, (r.values + (None,) * width)[:width]) for r in rows]
    if not rows:
        raise ImportFileError(
            gettext_noop("The file has headers but no rows below them."), code="import.file_empty"
        )
    return Table(headers, rows)


# --- checking the rows -----------------------------------------------------------------------

#: Problems of one row, each with the key of its column.
Problems = list[tuple[str, PolicyError]]
REF = "单位内部编号"


def _problem(
    key: str, template: str, code: str, clauses: tuple[str, ...] = (), **params: Any
) -> tuple[str, PolicyError]:
    return key, PolicyError(template, code=code, field=key, clauses=clauses, params=params)


@dataclass(frozen=True)
class RowProblem:
    """One problem: the row and column (as written in the file) and the rule it breaks."""

    row: int
    column: str
    field: str | None
    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    clauses: tuple[str, ...] = ()

    @classmethod
    def of(cls, row: int, column: str, error: PolicyError) -> RowProblem:
        params = {k: v if isinstance(v, int | float) else str(v) for k, v in error.params.items()}
        return cls(row, column, error.field, error.code, error.template, params, error.clauses)

    @property
    def message(self) -> str:
        """The message in the active language, with its clauses."""
        error = PolicyError(self.template, code=self.code, clauses=self.clauses, params=self.params)
        return translated_message(error)

    @property
    def rule(self) -> str:
        return " ".join([self.code, *self.clauses])

    @property
    def column_label(self) -> str:
        """The column's label in the active language, for readers of another language than
        Chinese (empty in Chinese, and for a header the template does not know)."""
        column = column_for(self.column)
        if column is None or (translation.get_language() or "").startswith("zh"):
            return ""
        return gettext(column.label)

    @property
    def column_display(self) -> str:
        label = self.column_label
        return f"{self.column} ({label})" if label else self.column

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowProblem:
        return cls(**{**data, "clauses": tuple(data["clauses"])})


@dataclass(frozen=True)
class Planned:
    row: int
    data: AchievementData
    existing: int | None  # the pk of the result the row updates, or None to create one


@dataclass
class ImportCheck:
    total: int
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header in the file
    planned: list[Planned] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def creates(self) -> int:
        return sum(1 for p in self.planned if p.existing is None)

    @property
    def updates(self) -> int:
        return sum(1 for p in self.planned if p.existing is not None)


def _at_header(column: str, code: str, template: str, **params: Any) -> RowProblem:
    return RowProblem(1, column, None, code, template, params)


def _header_problems(headers: list[str], table: Table) -> list[RowProblem]:
    problems, seen = [], set()
    for index, header in enumerate(headers):
        column, letter = column_for(header), get_column_letter(index + 1)
        if not header.strip():
            if any(r.values[index] not in (None, "") for r in table.rows):
                template = gettext_noop("Column %(letter)s has values but no header.")
                problems.append(_at_header(letter, "import.header_empty", template, letter=letter))
        elif column is None:
            template = gettext_noop("%(header)s is not a column of the template.")
            problems.append(_at_header(header, "import.header_unknown", template, header=header))
        elif column.key in seen:
            template = gettext_noop("The column %(header)s appears twice.")
            problems.append(_at_header(header, "import.header_twice", template, header=header))
        else:
            seen.add(column.key)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            template = gettext_noop("The required column %(header)s is missing.")
            problems.append(
                _at_header(column.header, "import.header_missing", template, header=column.header)
            )
    return problems


class _Existing:
    """The unit's results and fiscal projects, read once for the whole file."""

    def __init__(self, unit: Organisation) -> None:
        self.by_ref: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        rows = Achievement.objects.filter(unit=unit).values_list(
            "pk", "external_ref", "name", "status"
        )
        for pk, ref, name, status in rows.iterator(chunk_size=5000):
            if ref:
                self.by_ref[ref] = (pk, status)
            self.by_name[name].append((pk, status, ref))
        self.projects = set(
            FiscalProject.objects.filter(undertaking_unit=unit).values_list(
                "project_number", flat=True
            )
        )

    def match(self, data: AchievementData) -> tuple[int, str, str] | None:
        """(pk, status, ref) of the result the row updates: by reference, else by exact name
        among results without a reference of their own. Raises on an ambiguous name."""
        if data.external_ref in self.by_ref:
            pk, status = self.by_ref[data.external_ref]
            return pk, status, data.external_ref
        named = [m for m in self.by_name.get(data.name, []) if not (data.external_ref and m[2])]
        if len(named) > 1:
            raise PolicyError(
                gettext_noop(
                    "The unit has %(count)s results with this name; give the row its %(column)s."
                ),
                code="import.name_ambiguous",
                field="name",
                params={"count": len(named), "column": REF},
            )
        return named[0] if named else None


def check_file(
    table: Table, *, unit: Organisation, today: date, progress: Progress | None = None
) -> ImportCheck:
    """Check every row: parse its cells, validate it, resolve its project and the result it
    updates. Reads only; nothing is stored."""
    check = ImportCheck(total=len(table.rows))
    check.problems = _header_problems(table.headers, table)
    if check.problems:
        return check
    index = {column_for(h).key: i for i, h in enumerate(table.headers) if h.strip()}  # type: ignore[union-attr]
    existing = _Existing(unit)
    check.headers = header = {key: table.headers[i] for key, i in index.items()}
    seen = _Seen()
    tick = _ticker(progress, "check", check.total)
    for done, row in enumerate(table.rows, start=1):
        cells = {key: row.values[i] for key, i in index.items()}
        problems, planned = _check_row(row.number, cells, existing, today)
        if planned is not None and not problems:
            problems = seen.problems(planned)
        check.problems += [
            RowProblem.of(row.number, header.get(key, BY_KEY[key].header), e) for key, e in problems
        ]
        if planned is not None and not problems:
            check.planned.append(planned)
        tick(done)
    return check


def _check_row(
    number: int, cells: dict[str, Any], existing: _Existing, today: date
) -> tuple[Problems, Planned | None]:
    problems: Problems = []
    raw = _raw(cells, problems)
    try:
        data = validate_achievement(raw, today=today)
    except Invalid as exc:
        for error in exc.errors:
            problems.append((_column_of(error, cells), error))
        return problems, None
    if problems:
        return problems, None
    if data.project_number and data.project_number not in existing.projects:
        template = gettext_noop("The unit has no fiscal project numbered %(number)s.")
        problems.append(
            _problem("project_number", template, "achievement.project", number=data.project_number)
        )
    try:
        match = existing.match(data)
    except PolicyError as exc:
        return [*problems, ("name", exc)], None
    if match is None:
        return problems, Planned(number, data, None)
    pk, status, ref = match
    if status not in services.EDITABLE:
        key = "external_ref" if data.external_ref else "name"
        template = gettext_noop(
            "Only drafts and returned results can be changed; this one is %(status)s."
        )
        problems.append(
            _problem(key, template, "achievement.not_editable", ("M8.6",), status=status)
        )
    # A row matched by name keeps the result's reference, or gives it the row's.
    data = dataclasses.replace(data, external_ref=data.external_ref or ref)
    return problems, Planned(number, data, pk)


class _Seen:
    """Within one file each reference, and each result changed, appears on one row only; and
    two new rows without a reference may not share a name (a later import could not tell them
    apart, since such rows are matched by name)."""

    def __init__(self) -> None:
        self.refs: dict[str, int] = {}
        self.targets: dict[int, int] = {}
        self.new_names: dict[str, int] = {}

    def problems(self, planned: Planned) -> Problems:
        ref, name, target = planned.data.external_ref, planned.data.name, planned.existing
        if ref and ref in self.refs:
            template = gettext_noop(
                "The reference %(ref)s is also on row %(row)s; each result has its own."
            )
            return [_problem("external_ref", template, "import.ref_twice", ref=ref,
                             row=self.refs[ref])]  # fmt: skip
        if target is not None and target in self.targets:
            template = gettext_noop(
                "Row %(row)s already changes the same result; give each row its own %(column)s."
            )
            return [_problem("name", template, "import.same_result", row=self.targets[target],
                             column=REF)]  # fmt: skip
        if target is None and not ref and name in self.new_names:
            template = gettext_noop(
                "Row %(row)s has the same name and neither row has a %(column)s; give each its own."
            )
            return [_problem("name", template, "import.name_twice", row=self.new_names[name],
                             column=REF)]  # fmt: skip
        if ref:
            self.refs[ref] = planned.row
        if target is not None:
            self.targets[target] = planned.row
        elif not ref:
            self.new_names[name] = planned.row
        return []


def _column_of(error: PolicyError, cells: dict[str, Any]) -> str:
    key = FIELD_COLUMN.get(error.field or "", error.field or "name")
    if key == "translations":
        blank = [k for k in ("name_en", "abstract_en") if _text(cells.get(k)) == ""]
        return blank[0] if blank else "name_en"
    return key if key in BY_KEY else "name"


# --- from cells to the raw shape of the validation -------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[；;\n]+", text) if item.strip()]


def _choice(key: str, value: Any, problems: Problems, choices: Choices) -> str:
    text = _text(value)
    if not text:
        return ""
    code = choices.code(text)
    if code is None:
        template = gettext_noop("%(value)s is not one of: %(allowed)s.")
        allowed = "、".join(choices.offered())
        problems.append(_problem(key, template, "choice", value=text, allowed=allowed))
    return code or ""


def _date_text(value: Any) -> str:
    if isinstance(value, int | float) and 10_000 <= value <= 100_000:
        return from_excel(value).date().isoformat()  # an Excel date without its format
    text = _text(value)
    found = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text
    ) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if found:
        try:
            return date(*(int(g) for g in found.groups())).isoformat()
        except ValueError:
            return text  # the validation names the impossible date
    return text


def _shares(key: str, text: str, problems: Problems, person: bool) -> list[dict[str, str]]:
    items = _items(text)
    result = []
    for item in items:
        found = re.fullmatch(r"(.*?)\s*[:：]\s*([^:：]*)", item)
        name, share = (found.group(1), found.group(2)) if found else (item, "")
        if not share and len(items) == 1:
            share = "100"
        elif not share:
            template = gettext_noop("%(item)s lacks its share: write it as %(example)s.")
            example = BY_KEY[key].example
            problems.append(_problem(key, template, "import.share_missing", item=item,
                                     example=example))  # fmt: skip
        entry = {"name": name, "share": share}
        unit = re.fullmatch(r"(.*?)\s*[(（]\s*(.*?)\s*[)）]", name) if person else None
        if unit:
            entry.update(name=unit.group(1), unit_name=unit.group(2))
        result.append(entry)
    return result


def _ip_rights(text: str, problems: Problems) -> list[dict[str, str]]:
    rights = []
    for item in _items(text):
        parts = [p.strip() for p in re.split(r"[|｜]", item)] + [""] * 4
        kind = _choice("ip_rights", parts[0], problems, IP_KINDS)
        status = _choice("ip_rights", parts[2], problems, IP_STATUSES) or "pending"
        rights.append(
            {
                "kind": kind or parts[0],
                "number": parts[1],
                "status": status,
                "grant_date": _date_text(parts[3]),
                "title": parts[4],
            }
        )
    return rights


TEXT_KEYS = ("external_ref", "name", "keywords", "abstract", "discipline_code", "industry_code",
             "trl", "project_number", "asking_terms", "advantage", "target_market",
             "route_to_market")  # fmt: skip


def _raw(cells: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The row's cells in the shape ``validate_achievement`` reads; cell-level problems (a value
    not in a list, a share left out) are added to ``problems``."""
    secrecy = _choice("confidentiality", cells.get("confidentiality"), problems, SECRECY)
    if secrecy == "classified":
        return {"confidentiality": secrecy}  # refused at the door: nothing else is read (M8.6)
    if not _text(cells.get("confidentiality")):
        template = gettext_noop("This field is required.")
        problems.append(_problem("confidentiality", template, "required"))
    raw: dict[str, Any] = {key: _text(cells.get(key)) for key in TEXT_KEYS}
    raw["confidentiality"] = secrecy
    for key, choices in (("achievement_type", TYPES), ("attribute", ATTRIBUTES),
                         ("evaluation_level", LEVELS)):  # fmt: skip
        raw[key] = _choice(key, cells.get(key), problems, choices)
    for key in ("national_interest", "use_first_pay_later"):
        raw[key] = _choice(key, cells.get(key), problems, YES_NO) == "yes"
    raw["transformation_modes"] = [
        _choice("transformation_modes", m, problems, MODES)
        for m in _items(_text(cells.get("transformation_modes")).replace("、", "；"))
    ]
    raw["formation_date"] = _date_text(cells.get("formation_date"))
    raw["units"] = _shares("units", _text(cells.get("units")), problems, person=False)
    raw["completers"] = _shares("completers", _text(cells.get("completers")), problems, True)
    raw["ip_rights"] = _ip_rights(_text(cells.get("ip_rights")), problems)
    english = {k: _text(cells.get(f"{k}_en")) for k in ("name", "abstract", "keywords")}
    raw["translations"] = [{"language": "en", **english}] if any(english.values()) else []
    return raw


# --- storing ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    check: ImportCheck
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.check.ok


class _Abort(Exception):
    def __init__(self, problem: RowProblem) -> None:
        self.problem = problem


def run_import(
    *,
    actor: User,
    unit: Organisation,
    table: Table,
    today: date,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the whole file, then store every row in one transaction, or nothing at all.

    Rows go through ``achievement_create``/``achievement_update`` (imported=True), so each is
    audited and its followers notified after the commit. Should a row fail while storing (the
    result was submitted meanwhile), everything is rolled back and the row is reported."""
    if not (actor.is_superuser or user_can(actor, Capability.MANAGE_ACHIEVEMENTS, unit)):
        raise AccessDenied()
    result = ImportResult(check=ImportCheck(total=len(table.rows)))
    committed: list[bool] = []
    try:
        with transaction.atomic():
            # The first hook after the commit: should a follower's hook fail after it (the
            # search index, say), the file is stored all the same and the result must say so.
            transaction.on_commit(lambda: committed.append(True))
            result.check = check_file(table, unit=unit, today=today, progress=progress)
            if not result.check.ok:
                return result
            _store(actor, unit, result, progress)
    except _Abort as abort:
        result.created, result.updated = [], []
        result.check.problems.append(abort.problem)
    except Exception:
        if not committed:
            raise
        logger.exception(
            "an import of %s rows is stored; a follower failed after it", len(table.rows)
        )
    return result


def _store(
    actor: User, unit: Organisation, result: ImportResult, progress: Progress | None
) -> None:
    planned = result.check.planned
    tick = _ticker(progress, "store", len(planned))
    targets = Achievement.objects.in_bulk([p.existing for p in planned if p.existing])
    for done, plan in enumerate(planned, start=1):
        try:
            if plan.existing is None:
                achievement = services.achievement_create(
                    actor=actor, unit=unit, data=plan.data, imported=True
                )
                result.created.append(achievement.pk)
            else:
                services.achievement_update(
                    actor=actor, achievement=targets[plan.existing], data=plan.data, imported=True
                )
                result.updated.append(plan.existing)
        except PolicyError as exc:
            raise _Abort(_stored_problem(result.check, plan, exc)) from exc
        except IntegrityError as exc:
            template = gettext_noop(
                "Another change to the unit's results came in meanwhile; nothing was stored. "
                "Import the file again."
            )
            error = PolicyError(template, code="import.conflict", field="external_ref")
            raise _Abort(_stored_problem(result.check, plan, error)) from exc
        tick(done)


def _stored_problem(check: ImportCheck, plan: Planned, error: PolicyError) -> RowProblem:
    """A row that the check passed and the store refused: the result changed meanwhile."""
    key = error.field if error.field in BY_KEY else None
    key = key or ("external_ref" if plan.data.external_ref else "name")
    return RowProblem.of(plan.row, check.headers.get(key, BY_KEY[key].header), error)


def _ticker(progress: Progress | None, phase: str, total: int) -> Callable[[int], None]:
    step = max(1, total // 100)

    def tick(done: int) -> None:
        if progress is not None and (done % step == 0 or done == total):
            progress(phase, done, total)

    if progress is not None:
        progress(phase, 0, total)
    return tick


# --- files people download: the template and the report ---------------------------------------

RED = PatternFill("solid", fgColor="FFC7CE")
REQUIRED_FILL = PatternFill("solid", fgColor="E3F4EC")
BOLD = Font(bold=True)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header_row(sheet: Any, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = BOLD
        if column.required:
            cell.fill = REQUIRED_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def template_xlsx() -> bytes:
    """The template: the sheet 科技成果 with the headers (required ones shaded), drop-down lists
    for the columns with fixed values, the sheet 填写说明 explaining each column in the active
    language, and the sheet 示例 with an example row (only 科技成果 is imported)."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    _header_row(data, COLUMNS)
    _template_cells(data)
    _template_help(book.create_sheet(HELP_SHEET))
    example = book.create_sheet(EXAMPLE_SHEET)
    _header_row(example, COLUMNS)
    example.append([_example_value(c) for c in COLUMNS])
    return _save(book)


def _template_cells(sheet: Any) -> None:
    """Codes are text cells (keeping leading zeros); fixed values come from a drop-down list."""
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if column.key in ("discipline_code", "project_number", "external_ref"):
            for row in range(2, TEMPLATE_TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices is None or column.key == "transformation_modes":
            continue  # several values in one cell cannot come from a list
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices.offered()) + '"',
            allow_blank=True,
            showErrorMessage=True,
        )
        rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)


def _template_help(sheet: Any) -> None:
    sheet.append(
        [gettext("Column"), gettext("In English"), gettext("Required"),
         gettext("How to fill it in"), gettext("Values"), gettext("Example")]
    )  # fmt: skip
    for cell in sheet[1]:
        cell.font = BOLD
    for column in COLUMNS:
        values = "、".join(column.choices.offered()) if column.choices else ""
        required = gettext("Yes") if column.required else ""
        sheet.append(
            [column.header, gettext(column.label), required, column_help(column), values,
             column.example]
        )  # fmt: skip
    for letter, width in zip("ABCDEF", (26, 36, 8, 70, 30, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _example_value(column: Column) -> Any:
    if column.key == "formation_date":
        return date.fromisoformat(column.example)
    return int(column.example) if column.key == "trl" else column.example


def template_csv() -> bytes:
    """The header row as CSV, UTF-8 with a BOM so that Excel opens it in the right encoding."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.header for c in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode()


def redacted(table: Table) -> Table:
    """The table without the content of classified rows: only their 密级 cell is kept, so that
    nothing of a classified result is kept on the platform or shown back (M8.6)."""
    secrecy = [i for i, h in enumerate(table.headers) if column_for(h) is BY_KEY["confidentiality"]]
    if not secrecy:
        return table
    rows = []
    for row in table.rows:
        if SECRECY.code(_text(row.values[secrecy[0]])) == "classified":
            row = Row(
                row.number, tuple(v if i in secrecy else None for i, v in enumerate(row.values))
            )
        rows.append(row)
    return Table(table.headers, rows)


def report_xlsx(table: Table, problems: Sequence[RowProblem], language: str) -> bytes:
    """A copy of the rows, each at its original row number, with every bad cell filled red and
    commented with its problems in ``language``; then the sheet of all problems. Once corrected,
    the copy can be imported again."""
    table = redacted(table)
    with translation.override(language):
        marks: dict[tuple[int, int], list[str]] = defaultdict(list)
        position = {h: i for i, h in enumerate(table.headers)}
        for problem in problems:
            if problem.column in position:
                marks[(problem.row, position[problem.column])].append(problem.message)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(DATA_SHEET)
        sheet.freeze_panes = "A2"
        sheet.append(_marked(sheet, 1, table.headers, marks, bold=True))
        number = 1
        for row in table.rows:
            for _ in range(row.number - number - 1):
                sheet.append([])
            sheet.append(_marked(sheet, row.number, row.values, marks))
            number = row.number
        listing = book.create_sheet(gettext("Problems"))
        listing.freeze_panes = "A2"
        listing.append(_problem_titles())
        for problem in problems:
            listing.append(_problem_line(problem))
        return _save(book)


def _marked(
    sheet: Any,
    number: int,
    values: Sequence[Any],
    marks: dict[tuple[int, int], list[str]],
    bold: bool = False,
) -> list[WriteOnlyCell]:
    cells = []
    for index, value in enumerate(values):
        cell = WriteOnlyCell(sheet, value=value)
        if bold:
            cell.font = BOLD
        messages = marks.get((number, index))
        if messages:
            cell.fill = RED
            cell.comment = Comment("\n".join(messages), "KTTC", width=320, height=120)
        cells.append(cell)
    return cells


def _problem_titles() -> list[str]:
    return [gettext("Row"), gettext("Column"), gettext("Rule"), gettext("Message")]


def _problem_line(problem: RowProblem) -> list[Any]:
    return [problem.row or "", problem.column_display, problem.rule, problem.message]


def report_csv(problems: Sequence[RowProblem], language: str) -> bytes:
    """The list of problems as CSV (UTF-8 with a BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(language):
        writer.writerow(_problem_titles())
        writer.writerows(_problem_line(p) for p in problems)
    return codecs.BOM_UTF8 + buffer.getvalue().encode()
