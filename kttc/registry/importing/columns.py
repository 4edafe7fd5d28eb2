"""The columns of the import file: Chinese headers as on the national registration form,
the values each accepts, and how to fill them in (M8.6)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from kttc.policy.i18n import gettext_noop
from kttc.registry.achievements.labels import IP_KINDS, IP_STATUSES, Choices

DATA_SHEET = "科技成果"
HELP_SHEET = "填写说明"
EXAMPLE_SHEET = "示例"
TEMPLATE_TEXT_ROWS = 1000


# --- the columns -----------------------------------------------------------------------------


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
