"""National classification codes used by the results registration form.

GB/T 13745-2009 disciplines: three levels, 3, 5 or 7 digits (the 1992 edition wrote a point after
the first three digits, ``510.10``; it is accepted and dropped). GB/T 4754-2017 industries: a
section letter A–T, then a division (2 digits), group (3) or class (4); the section is derived
from the division's range, so a code such as ``C3562`` must have ``C`` for division 35.
"""

from __future__ import annotations

import re
from typing import Final

from kttc.policy.errors import IdentifierError
from kttc.policy.i18n import gettext_noop

_DISCIPLINE = re.compile(r"^\d{3}(\d{2}){0,2}$")

#: GB/T 4754-2017: the division ranges (大类) of each section (门类).
INDUSTRY_SECTIONS: Final[dict[str, tuple[int, int]]] = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def validate_discipline_code(code: str) -> str:
    """GB/T 13745-2009: a 3-, 5- or 7-digit discipline code; returns it without a point."""
    text = code.strip().replace(".", "")
    if not _DISCIPLINE.match(text):
        raise IdentifierError(
            gettext_noop(
                "The discipline code %(code)s is not a GB/T 13745 code: 3, 5 or 7 digits, "
                "such as 520 or 5202010."
            ),
            code="discipline.format",
            field="discipline_code",
            params={"code": code},
        )
    return text


def industry_section(division: int) -> str | None:
    """GB/T 4754-2017: the section letter of a two-digit division, if the division exists."""
    for letter, (first, last) in INDUSTRY_SECTIONS.items():
        if first <= division <= last:
            return letter
    return None


def validate_industry_code(code: str) -> str:
    """GB/T 4754-2017: ``C``, ``C35``, ``C356`` or ``C3562`` (the letter may be left out and is
    then derived); returns the code with its section letter."""
    text = code.strip().upper()
    match = re.fullmatch(r"([A-T])?(\d{2,4})?", text)
    if not text or match is None:
        raise _industry_error(code)
    letter, digits = match.group(1), match.group(2)
    if digits is None:
        return str(letter)
    section = industry_section(int(digits[:2]))
    if section is None or (letter is not None and letter != section):
        raise _industry_error(code)
    return section + digits


def _industry_error(code: str) -> IdentifierError:
    return IdentifierError(
        gettext_noop(
            "The industry code %(code)s is not a GB/T 4754-2017 code: a section letter and a "
            "2- to 4-digit class that belongs to it, such as C3562."
        ),
        code="industry.format",
        field="industry_code",
        params={"code": code},
    )


# --- names, for readers ------------------------------------------------------------------------

#: GB/T 13745-2009: the first-level disciplines (一级学科), with their Chinese names from the
#: standard and English names. A code of 5 or 7 digits is named by its first three.
DISCIPLINES: Final[dict[str, tuple[str, str]]] = {
    "110": ("数学", "Mathematics"),
    "120": ("信息科学与系统科学", "Information and systems science"),
    "130": ("力学", "Mechanics"),
    "140": ("物理学", "Physics"),
    "150": ("化学", "Chemistry"),
    "160": ("天文学", "Astronomy"),
    "170": ("地球科学", "Earth sciences"),
    "180": ("生物学", "Biology"),
    "190": ("心理学", "Psychology"),
    "210": ("农学", "Agronomy"),
    "220": ("林学", "Forestry"),
    "230": ("畜牧、兽医科学", "Animal husbandry and veterinary science"),
    "240": ("水产学", "Fisheries science"),
    "310": ("基础医学", "Basic medicine"),
    "320": ("临床医学", "Clinical medicine"),
    "330": ("预防医学与公共卫生学", "Preventive medicine and public health"),
    "340": ("军事医学与特种医学", "Military and special medicine"),
    "350": ("药学", "Pharmacy"),
    "360": ("中医学与中药学", "Traditional Chinese medicine and materia medica"),
    "410": ("工程与技术科学基础学科", "Basic disciplines of engineering and technology"),
    "413": (
        "信息与系统科学相关工程与技术",
        "Engineering related to information and systems science",
    ),
    "416": ("自然科学相关工程与技术", "Engineering related to the natural sciences"),
    "420": ("测绘科学技术", "Surveying and mapping"),
    "430": ("材料科学", "Materials science"),
    "440": ("矿山工程技术", "Mining engineering"),
    "450": ("冶金工程技术", "Metallurgical engineering"),
    "460": ("机械工程", "Mechanical engineering"),
    "470": ("动力与电气工程", "Power and electrical engineering"),
    "480": ("能源科学技术", "Energy science and technology"),
    "490": ("核科学技术", "Nuclear science and technology"),
    "510": ("电子与通信技术", "Electronics and communications"),
    "520": ("计算机科学技术", "Computer science and technology"),
    "530": ("化学工程", "Chemical engineering"),
    "535": ("产品应用相关工程与技术", "Product application engineering"),
    "540": ("纺织科学技术", "Textile science and technology"),
    "550": ("食品科学技术", "Food science and technology"),
    "560": ("土木建筑工程", "Civil engineering and architecture"),
    "570": ("水利工程", "Hydraulic engineering"),
    "580": ("交通运输工程", "Transport engineering"),
    "590": ("航空、航天科学技术", "Aeronautics and astronautics"),
    "610": ("环境科学技术及资源科学技术", "Environmental and resource science and technology"),
    "620": ("安全科学技术", "Safety science and technology"),
    "630": ("管理学", "Management science"),
    "710": ("马克思主义", "Marxism"),
    "720": ("哲学", "Philosophy"),
    "730": ("宗教学", "Religious studies"),
    "740": ("语言学", "Linguistics"),
    "750": ("文学", "Literature"),
    "760": ("艺术学", "Art studies"),
    "770": ("历史学", "History"),
    "780": ("考古学", "Archaeology"),
    "790": ("经济学", "Economics"),
    "810": ("政治学", "Political science"),
    "820": ("法学", "Law"),
    "830": ("军事学", "Military science"),
    "840": ("社会学", "Sociology"),
    "850": ("民族学与文化学", "Ethnology and cultural studies"),
    "860": ("新闻学与传播学", "Journalism and communication"),
    "870": ("图书馆、情报与文献学", "Library, information and documentation science"),
    "880": ("教育学", "Education"),
    "890": ("体育科学", "Sports science"),
    "910": ("统计学", "Statistics"),
}

#: GB/T 4754-2017: the names of the sections (门类), Chinese from the standard and English.
INDUSTRY_SECTION_NAMES: Final[dict[str, tuple[str, str]]] = {
    "A": ("农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    "B": ("采矿业", "Mining"),
    "C": ("制造业", "Manufacturing"),
    "D": ("电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"),
    "E": ("建筑业", "Construction"),
    "F": ("批发和零售业", "Wholesale and retail"),
    "G": ("交通运输、仓储和邮政业", "Transport, storage and post"),
    "H": ("住宿和餐饮业", "Accommodation and catering"),
    "I": ("信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    "J": ("金融业", "Finance"),
    "K": ("房地产业", "Real estate"),
    "L": ("租赁和商务服务业", "Leasing and business services"),
    "M": ("科学研究和技术服务业", "Scientific research and technical services"),
    "N": ("水利、环境和公共设施管理业", "Water, environment and public facilities"),
    "O": ("居民服务、修理和其他服务业", "Resident, repair and other services"),
    "P": ("教育", "Education"),
    "Q": ("卫生和社会工作", "Health and social work"),
    "R": ("文化、体育和娱乐业", "Culture, sports and entertainment"),
    "S": ("公共管理、社会保障和社会组织", "Public administration and social organisations"),
    "T": ("国际组织", "International organisations"),
}

#: GB/T 22900: the nine technology readiness levels, Chinese and English.
READINESS_LEVELS: Final[dict[int, tuple[str, str]]] = {
    1: ("基本原理清晰", "Basic principles observed"),
    2: ("技术概念和应用设想明确", "Technology concept and application formulated"),
    3: ("技术概念和应用设想通过可行性验证", "Concept and application proven feasible"),
    4: ("部件或功能样机在实验室环境中验证", "Component or prototype validated in the laboratory"),
    5: (
        "部件或功能样机在相关环境中验证",
        "Component or prototype validated in a relevant environment",
    ),
    6: ("系统原型在相关环境中验证", "System prototype demonstrated in a relevant environment"),
    7: ("系统样机在实际环境中试验", "System prototype tested in the real environment"),
    8: ("实际系统完成并通过试验验证", "Actual system completed and qualified by tests"),
    9: ("实际系统通过运行考验", "Actual system proven in operation"),
}


def _in(language: str, names: tuple[str, str]) -> str:
    """The Chinese name for a Chinese reader, the English one for every other reader."""
    return names[0] if language.lower().startswith("zh") else names[1]


def discipline_name(code: str, language: str) -> str | None:
    """GB/T 13745-2009: the name of the first-level discipline of ``code``, or None."""
    names = DISCIPLINES.get(code.replace(".", "")[:3])
    return _in(language, names) if names else None


def industry_name(code: str, language: str) -> str | None:
    """GB/T 4754-2017: the name of the section of ``code`` (``C``, ``C35``, ``3562``…), or None."""
    text = code.strip().upper()
    letter = text[:1] if text[:1].isalpha() else None
    if letter is None and text[:2].isascii() and text[:2].isdigit():
        letter = industry_section(int(text[:2]))
    names = INDUSTRY_SECTION_NAMES.get(letter or "")
    return _in(language, names) if names else None


def readiness_name(level: int | str, language: str) -> str | None:
    """GB/T 22900: the name of readiness level 1–9, or None."""
    try:
        names = READINESS_LEVELS.get(int(level))
    except (TypeError, ValueError):
        return None
    return _in(language, names) if names else None
