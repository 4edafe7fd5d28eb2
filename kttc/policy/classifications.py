"""National classification codes used by the results registration form.

GB/T 13745-2009 disciplines: three levels, 3, 5 or 7 digits (the 1992 edition wrote a point after
the first three digits, ``510.10``; it is accepted and dropped). GB/T 4754-2017 industries: a
section letter A–T, then a division (2 digits), group (3) or class (4); the section is derived
from the division's range, so a code such as ``C3562`` must have ``C`` for division 35.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
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

#: GB/T 4754-2017: the names of the divisions (大类), Chinese from the standard and English.
INDUSTRY_DIVISIONS: Final[dict[str, tuple[str, str]]] = {
    "01": ("农业", "Agriculture"),
    "02": ("林业", "Forestry"),
    "03": ("畜牧业", "Animal husbandry"),
    "04": ("渔业", "Fishery"),
    "05": (
        "农、林、牧、渔专业及辅助性活动",
        "Support activities for agriculture, forestry, husbandry and fishery",
    ),
    "06": ("煤炭开采和洗选业", "Coal mining and washing"),
    "07": ("石油和天然气开采业", "Extraction of petroleum and natural gas"),
    "08": ("黑色金属矿采选业", "Mining of ferrous metal ores"),
    "09": ("有色金属矿采选业", "Mining of non-ferrous metal ores"),
    "10": ("非金属矿采选业", "Mining of non-metallic minerals"),
    "11": ("开采专业及辅助性活动", "Support activities for mining"),
    "12": ("其他采矿业", "Other mining"),
    "13": ("农副食品加工业", "Processing of food from agricultural products"),
    "14": ("食品制造业", "Manufacture of foods"),
    "15": ("酒、饮料和精制茶制造业", "Manufacture of liquor, beverages and refined tea"),
    "16": ("烟草制品业", "Manufacture of tobacco"),
    "17": ("纺织业", "Manufacture of textiles"),
    "18": ("纺织服装、服饰业", "Manufacture of textile wearing apparel and accessories"),
    "19": (
        "皮革、毛皮、羽毛及其制品和制鞋业",
        "Manufacture of leather, fur, feathers and footwear",
    ),
    "20": (
        "木材加工和木、竹、藤、棕、草制品业",
        "Processing of timber; wood, bamboo, rattan, palm and straw products",
    ),
    "21": ("家具制造业", "Manufacture of furniture"),
    "22": ("造纸和纸制品业", "Manufacture of paper and paper products"),
    "23": ("印刷和记录媒介复制业", "Printing and reproduction of recording media"),
    "24": (
        "文教、工美、体育和娱乐用品制造业",
        "Manufacture of articles for culture, education, arts and crafts, sport and entertainment",
    ),
    "25": ("石油、煤炭及其他燃料加工业", "Processing of petroleum, coal and other fuels"),
    "26": (
        "化学原料和化学制品制造业",
        "Manufacture of raw chemical materials and chemical products",
    ),
    "27": ("医药制造业", "Manufacture of medicines"),
    "28": ("化学纤维制造业", "Manufacture of chemical fibres"),
    "29": ("橡胶和塑料制品业", "Manufacture of rubber and plastics products"),
    "30": ("非金属矿物制品业", "Manufacture of non-metallic mineral products"),
    "31": ("黑色金属冶炼和压延加工业", "Smelting and pressing of ferrous metals"),
    "32": ("有色金属冶炼和压延加工业", "Smelting and pressing of non-ferrous metals"),
    "33": ("金属制品业", "Manufacture of metal products"),
    "34": ("通用设备制造业", "Manufacture of general-purpose machinery"),
    "35": ("专用设备制造业", "Manufacture of special-purpose machinery"),
    "36": ("汽车制造业", "Manufacture of motor vehicles"),
    "37": (
        "铁路、船舶、航空航天和其他运输设备制造业",
        "Manufacture of railway, ship, aerospace and other transport equipment",
    ),
    "38": ("电气机械和器材制造业", "Manufacture of electrical machinery and equipment"),
    "39": (
        "计算机、通信和其他电子设备制造业",
        "Manufacture of computers, communication and other electronic equipment",
    ),
    "40": ("仪器仪表制造业", "Manufacture of measuring instruments"),
    "41": ("其他制造业", "Other manufacturing"),
    "42": ("废弃资源综合利用业", "Utilisation of waste resources"),
    "43": ("金属制品、机械和设备修理业", "Repair of metal products, machinery and equipment"),
    "44": ("电力、热力生产和供应业", "Production and supply of electricity and heat"),
    "45": ("燃气生产和供应业", "Production and supply of gas"),
    "46": ("水的生产和供应业", "Production and supply of water"),
    "47": ("房屋建筑业", "Construction of buildings"),
    "48": ("土木工程建筑业", "Civil engineering"),
    "49": ("建筑安装业", "Construction installation"),
    "50": ("建筑装饰、装修和其他建筑业", "Building decoration, renovation and other construction"),
    "51": ("批发业", "Wholesale trade"),
    "52": ("零售业", "Retail trade"),
    "53": ("铁路运输业", "Rail transport"),
    "54": ("道路运输业", "Road transport"),
    "55": ("水上运输业", "Water transport"),
    "56": ("航空运输业", "Air transport"),
    "57": ("管道运输业", "Pipeline transport"),
    "58": ("多式联运和运输代理业", "Multimodal transport and transport agencies"),
    "59": ("装卸搬运和仓储业", "Loading, unloading and warehousing"),
    "60": ("邮政业", "Postal services"),
    "61": ("住宿业", "Accommodation"),
    "62": ("餐饮业", "Food and beverage services"),
    "63": (
        "电信、广播电视和卫星传输服务",
        "Telecommunications, broadcasting and satellite transmission",
    ),
    "64": ("互联网和相关服务", "Internet and related services"),
    "65": ("软件和信息技术服务业", "Software and information technology services"),
    "66": ("货币金融服务", "Monetary and financial services"),
    "67": ("资本市场服务", "Capital market services"),
    "68": ("保险业", "Insurance"),
    "69": ("其他金融业", "Other financial services"),
    "70": ("房地产业", "Real estate"),
    "71": ("租赁业", "Leasing"),
    "72": ("商务服务业", "Business services"),
    "73": ("研究和试验发展", "Research and experimental development"),
    "74": ("专业技术服务业", "Professional technical services"),
    "75": ("科技推广和应用服务业", "Technology promotion and application services"),
    "76": ("水利管理业", "Water management"),
    "77": ("生态保护和环境治理业", "Ecological protection and environmental management"),
    "78": ("公共设施管理业", "Management of public facilities"),
    "79": ("土地管理业", "Land management"),
    "80": ("居民服务业", "Resident services"),
    "81": (
        "机动车、电子产品和日用产品修理业",
        "Repair of motor vehicles, electronics and household goods",
    ),
    "82": ("其他服务业", "Other services"),
    "83": ("教育", "Education"),
    "84": ("卫生", "Health"),
    "85": ("社会工作", "Social work"),
    "86": ("新闻和出版业", "News and publishing"),
    "87": ("广播、电视、电影和录音制作业", "Radio, television, film and sound recording"),
    "88": ("文化艺术业", "Culture and arts"),
    "89": ("体育", "Sports"),
    "90": ("娱乐业", "Entertainment"),
    "91": ("中国共产党机关", "Organs of the Communist Party of China"),
    "92": ("国家机构", "State organs"),
    "93": (
        "人民政协、民主党派",
        "People's political consultative conference and democratic parties",
    ),
    "94": ("社会保障", "Social security"),
    "95": (
        "群众团体、社会团体和其他成员组织",
        "Mass organisations, social organisations and other membership organisations",
    ),
    "96": ("基层群众自治组织及其他组织", "Grassroots self-governing and other organisations"),
    "97": ("国际组织", "International organisations"),
}  # fmt: skip

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


#: Names in the platform's other languages: ``data/code_names.<language>.tsv``, a row per
#: scheme and code (translated from the Chinese of the standards).
_DATA = Path(__file__).resolve().parent / "data"


@cache
def _names_in(language: str) -> dict[tuple[str, str], str]:
    path = _DATA / f"code_names.{language}.tsv"
    if not path.is_file():
        return {}
    names = {}
    with path.open(encoding="utf-8") as rows:
        next(rows, None)  # the header
        for row in rows:
            scheme, code, name = row.rstrip("\n").split("\t")
            names[(scheme, code)] = name
    return names


def name_in(language: str, names: tuple[str, str], scheme: str = "", code: str = "") -> str:
    """The name in the reader's language: Chinese, the language's own where the platform has
    it, else English."""
    base = language.lower().split("-")[0]
    if base == "zh":
        return names[0]
    return _names_in(base).get((scheme, code)) or names[1]


def discipline_name(code: str, language: str) -> str | None:
    """GB/T 13745-2009: the name of the first-level discipline of ``code``, or None."""
    first = code.replace(".", "")[:3]
    names = DISCIPLINES.get(first)
    return name_in(language, names, "discipline", first) if names else None


def industry_name(code: str, language: str) -> str | None:
    """GB/T 4754-2017: the name of the section of ``code`` (``C``, ``C35``, ``3562``…), or None."""
    text = code.strip().upper()
    letter = text[:1] if text[:1].isalpha() else None
    if letter is None and text[:2].isascii() and text[:2].isdigit():
        letter = industry_section(int(text[:2]))
    names = INDUSTRY_SECTION_NAMES.get(letter or "")
    return name_in(language, names, "industry_section", letter or "") if names else None


def industry_division_name(code: str, language: str) -> str | None:
    """GB/T 4754-2017: the name of the division (大类) of ``code`` (``C35``, ``3562``…), or None
    for a section alone or an unknown division."""
    digits = code.strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
    names = INDUSTRY_DIVISIONS.get(digits[:2]) if len(digits) >= 2 else None
    return name_in(language, names, "industry_division", digits[:2]) if names else None


def readiness_name(level: int | str, language: str) -> str | None:
    """GB/T 22900: the name of readiness level 1–9, or None."""
    try:
        number = int(level)
    except (TypeError, ValueError):
        return None
    names = READINESS_LEVELS.get(number)
    return name_in(language, names, "readiness", str(number)) if names else None
