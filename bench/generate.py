"""Realistic synthetic achievement records, at any size, deterministic by seed.

Titles, abstracts and keywords are drawn from real Chinese scientific literature when
``../shared/data/csl/`` is present (CSL: 2,000 full records, 8,000 titles, 8,887 abstracts):
abstracts are recombined sentence by sentence, titles are real or built on the registry's own
pattern (一种…的制备方法) around a domain term. Without that folder a built-in vocabulary is used
and a message says so. Codes are valid: GB/T 13745 disciplines, GB/T 4754 industries whose section
fits the division, and Chinese patent application numbers with their check character
(``kttc.policy.identifiers``).

    .venv/bin/python bench/generate.py --size 5 --seed 1     # print a few records as JSON
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kttc.policy.classifications import INDUSTRY_SECTIONS  # noqa: E402
from kttc.policy.identifiers import complete_patent_application_number  # noqa: E402

CSL_DIR = ROOT.parent / "shared" / "data" / "csl"

#: Chinese domain terms with their English, injected into part of the records so that domain
#: queries have realistic hit counts.
DOMAIN_TERMS = {
    "石墨烯": "graphene",
    "锂离子电池": "lithium-ion battery",
    "钠离子电池": "sodium-ion battery",
    "钙钛矿": "perovskite",
    "碳纳米管": "carbon nanotube",
    "稀土永磁": "rare-earth permanent magnet",
    "钛合金": "titanium alloy",
    "氢燃料电池": "hydrogen fuel cell",
    "光伏": "photovoltaic",
    "三七": "Panax notoginseng",
    "普洱茶": "Pu'er tea",
    "天麻": "Gastrodia elata",
    "铁皮石斛": "Dendrobium officinale",
    "小粒咖啡": "arabica coffee",
    "野生菌": "wild mushroom",
    "鲜切花": "cut flower",
    "马铃薯": "potato",
    "核桃": "walnut",
    "中药材": "Chinese medicinal herb",
    "疫苗": "vaccine",
    "单克隆抗体": "monoclonal antibody",
    "体外诊断": "in vitro diagnostics",
    "医疗器械": "medical device",
    "人工智能": "artificial intelligence",
    "深度学习": "deep learning",
    "物联网": "internet of things",
    "区块链": "blockchain",
    "无人机": "drone",
    "智能制造": "intelligent manufacturing",
    "污水处理": "wastewater treatment",
    "土壤修复": "soil remediation",
    "磷石膏": "phosphogypsum",
    "工业硅": "industrial silicon",
    "高原湖泊": "plateau lake",
    "生物农药": "biopesticide",
    "水肥一体化": "fertigation",
    "冷链物流": "cold-chain logistics",
}
TITLE_PATTERNS = (
    "一种{t}{s}",
    "基于{t}的{s}",
    "{t}{s}及其应用",
    "高原特色{t}{s}",
    "{t}关键技术研究与示范",
)
TITLE_SUFFIXES = (
    "制备方法", "提取工艺", "检测方法", "种植技术", "加工装置", "复合材料", "智能管理系统",
    "质量控制技术", "规模化生产工艺", "绿色防控技术", "在线监测平台", "新品种选育",
)  # fmt: skip
EN_SUFFIXES = (
    "preparation method", "extraction process", "detection method", "cultivation technique",
    "processing device", "composite material", "intelligent management system",
    "quality control", "scale-up production", "green pest control", "online monitoring",
    "new variety breeding",
)  # fmt: skip
SENTENCES = (
    "本成果针对{t}产业中的关键问题，开展了系统研究。",
    "通过工艺优化，{t}的生产效率提高{n}%，成本降低{m}%。",
    "项目形成了{t}相关专利{k}件，建立了中试生产线。",
    "该技术已在云南省{k}家企业推广应用，经济效益显著。",
    "研究结果表明，该方法稳定可靠，具有良好的应用前景。",
    "采用数值模拟与试验相结合的方法，分析了主要影响因素。",
    "建立了质量标准和检测方法，达到国内领先水平。",
)
FALLBACK_KEYWORDS = (
    "工艺优化", "质量控制", "中试", "产业化", "检测", "模型", "高原", "示范应用", "数值模拟",
    "性能", "稳定性", "绿色", "智能", "标准",
)  # fmt: skip
#: GB/T 13745-2009 first-level disciplines, weighted towards the center's fields.
DISCIPLINES = (
    ("110", 1), ("120", 2), ("140", 2), ("150", 4), ("170", 2), ("180", 5), ("210", 8),
    ("220", 3), ("230", 3), ("240", 1), ("310", 3), ("320", 4), ("330", 2), ("350", 5),
    ("360", 6), ("413", 5), ("416", 3), ("430", 8), ("440", 2), ("450", 3), ("460", 4),
    ("470", 3), ("480", 4), ("510", 4), ("520", 6), ("530", 4), ("550", 5), ("560", 3),
    ("570", 2), ("580", 2), ("610", 5), ("630", 2),
)  # fmt: skip
#: CSL disciplines -> GB/T 13745 first level, where the match is clear.
CSL_DISCIPLINES = {
    "中医学/中药学": "360", "食品科学与工程": "550", "材料科学与工程": "430", "园艺学": "210",
    "化学/化学工程与技术": "530", "交通运输工程": "580", "药学": "350",
    "基础医学/临床医学": "320", "信息与通信工程": "510", "环境科学与工程": "610", "水产": "240",
    "农业工程": "210", "力学": "130", "计算机科学与技术": "520", "土木工程": "560",
    "纺织科学与工程": "540", "矿业工程": "440", "机械工程": "460", "电气工程": "470",
    "电子科学与技术": "510", "数学": "110", "冶金工程": "450", "作物学": "210",
    "生物学/生物科学与工程": "180", "林学/林业工程": "220", "水利工程": "570",
    "畜牧学/兽医学": "230", "公共卫生与预防医学": "330", "物理学": "140",
}  # fmt: skip
IP_KINDS = (
    ("invention", 50), ("utility_model", 25), ("software_copyright", 14), ("design", 3),
    ("plant_variety", 5), ("other", 3),
)  # fmt: skip
PATENT_DIGIT = {"invention": "1", "utility_model": "2", "design": "3"}
MODES = ("transfer", "licence", "equity", "joint_development")
TRL_WEIGHTS = (2, 3, 6, 10, 14, 16, 14, 9, 6)
PLACES = {
    "昆明": "Kunming", "云南": "Yunnan", "滇池": "Dianchi", "大理": "Dali", "玉溪": "Yuxi",
    "曲靖": "Qujing", "红河": "Honghe", "楚雄": "Chuxiong", "西双版纳": "Xishuangbanna",
    "普洱": "Pu'er", "保山": "Baoshan", "丽江": "Lijiang", "文山": "Wenshan", "昭通": "Zhaotong",
    "临沧": "Lincang", "德宏": "Dehong", "春城": "Chuncheng", "高原": "Plateau",
    "西南": "Southwest", "滇中": "Central Yunnan",
}  # fmt: skip
UNIT_KINDS = (
    ("大学", "University"), ("理工学院", "Institute of Technology"),
    ("农业科学院", "Academy of Agricultural Sciences"), ("医学院", "Medical College"),
    ("生物技术研究所", "Institute of Biotechnology"), ("新材料有限公司", "New Materials Co., Ltd."),
    ("科技有限公司", "Technology Co., Ltd."), ("制药股份有限公司", "Pharmaceutical Co., Ltd."),
    ("人民医院", "People's Hospital"), ("林业科学研究院", "Academy of Forestry"),
)  # fmt: skip


@dataclass
class Record:
    id: int
    name: str
    abstract: str
    keywords: list[str]
    en: tuple[str, str, list[str]] | None
    unit_id: int
    unit_name: str
    unit_name_en: str
    discipline_code: str
    industry_code: str
    trl: int
    ip_rights: list[tuple[str, str]] = field(default_factory=list)
    transformation_modes: list[str] = field(default_factory=list)
    use_first_pay_later: bool = False
    year: int = 2024
    published_at: datetime = datetime(2024, 1, 1, tzinfo=UTC)
    promoted: bool = False
    major: bool = False


@dataclass
class Corpus:
    """What records are drawn from."""

    titles: list[str]
    abstracts: list[str]
    keywords: list[str]
    disciplines: list[str | None]  # parallel to ``abstracts`` (a GB/T code or None)
    real: bool


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_corpus(folder: Path = CSL_DIR, *, quiet: bool = False) -> Corpus:
    """The CSL texts when present; else the built-in vocabulary, with a message."""
    records = folder / "csl_records.jsonl"
    if not records.exists():
        if not quiet:
            print(
                f"note: {folder} is absent; using the built-in vocabulary instead of real "
                "abstracts.",
                file=sys.stderr,
            )
        return Corpus([], [], list(FALLBACK_KEYWORDS), [], real=False)
    titles, abstracts, keywords, disciplines = [], [], [], []
    for row in _jsonl(records):
        titles.append(str(row["title"]))
        abstracts.append(str(row["abstract"]))
        disciplines.append(CSL_DISCIPLINES.get(str(row.get("discipline"))))
        keywords.extend(str(k) for k in row.get("keywords") or [])  # type: ignore[union-attr]
    for extra, key in (("csl_titles_category.jsonl", "title"), ("fewclue_csldcp.jsonl", "")):
        path = folder / extra
        if not path.exists():
            continue
        for row in _jsonl(path):
            if key:
                titles.append(str(row[key]))
            else:
                abstracts.append(str(row["abstract"]))
                disciplines.append(CSL_DISCIPLINES.get(str(row.get("discipline"))))
    return Corpus(titles, abstracts, sorted(set(keywords)), disciplines, real=True)


_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.;])(?=[\u4e00-\u9fff])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


class Generator:
    """Records one after another; the same seed gives the same records."""

    def __init__(self, seed: int = 1, corpus: Corpus | None = None, units: int = 800) -> None:
        self.rng = random.Random(seed)
        self.corpus = corpus if corpus is not None else load_corpus()
        self.terms = list(DOMAIN_TERMS)
        self.units = [self._unit(i) for i in range(1, units + 1)]
        self.disciplines = [code for code, _w in DISCIPLINES]
        self.discipline_weights = [w for _c, w in DISCIPLINES]
        self.ip_kinds = [k for k, _w in IP_KINDS]
        self.ip_weights = [w for _k, w in IP_KINDS]
        self.by_discipline: dict[str | None, list[int]] = {}
        for i, code in enumerate(self.corpus.disciplines):
            self.by_discipline.setdefault(code, []).append(i)

    def _unit(self, pk: int) -> tuple[int, str, str]:
        place = self.rng.choice(sorted(PLACES))
        kind, kind_en = self.rng.choice(UNIT_KINDS)
        extra = "" if self.rng.random() < 0.6 else self.rng.choice(("东方", "博远", "绿源", "华创"))
        return pk, f"{place}{extra}{kind}", f"{PLACES[place]} {kind_en}"

    def records(self, count: int, start: int = 1) -> Iterator[Record]:
        for pk in range(start, start + count):
            yield self.record(pk)

    def record(self, pk: int) -> Record:
        rng = self.rng
        term = rng.choice(self.terms) if rng.random() < 0.45 else None
        suffix = rng.randrange(len(TITLE_SUFFIXES))
        name = self._name(term, suffix)
        abstract, discipline = self._abstract(term)
        keywords = self._keywords(term)
        trl = rng.choices(range(1, 10), TRL_WEIGHTS)[0]
        year = rng.randint(2015, 2026)
        published = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
            days=rng.randint(0, 364), seconds=rng.randint(0, 86_399)
        )
        unit_id, unit_name, unit_name_en = rng.choice(self.units)
        en = self._english(term, suffix, keywords) if rng.random() < 0.4 else None
        modes = sorted(rng.sample(MODES, rng.randint(1, 3)))
        return Record(
            id=pk,
            name=name,
            abstract=abstract,
            keywords=keywords,
            en=en,
            unit_id=unit_id,
            unit_name=unit_name,
            unit_name_en=unit_name_en,
            discipline_code=discipline + rng.choice(("10", "20", "30", "40", "55")),
            industry_code=self._industry(),
            trl=trl,
            ip_rights=self._ip_rights(year),
            transformation_modes=modes,
            use_first_pay_later=rng.random() < 0.3,
            year=year,
            published_at=published,
            promoted=rng.random() < 0.02,
            major=rng.random() < 0.01,
        )

    def _name(self, term: str | None, suffix: int) -> str:
        titles = self.corpus.titles
        if term is None and titles:
            return self.rng.choice(titles)
        term = term or self.rng.choice(self.terms)
        pattern = self.rng.choice(TITLE_PATTERNS)
        return pattern.format(t=term, s=TITLE_SUFFIXES[suffix])

    def _abstract(self, term: str | None) -> tuple[str, str]:
        rng = self.rng
        corpus = self.corpus
        discipline = None
        if corpus.abstracts:
            # Two real abstracts of one discipline, the first half of one and the end of the other.
            i = rng.randrange(len(corpus.abstracts))
            j = rng.choice(self.by_discipline[corpus.disciplines[i]])
            first, second = _sentences(corpus.abstracts[i]), _sentences(corpus.abstracts[j])
            body = first[: max(1, len(first) // 2)] + second[len(second) // 2 :]
            discipline = corpus.disciplines[i]
        else:
            body = rng.sample(SENTENCES, rng.randint(3, 5))
        if term is not None or not corpus.abstracts:
            t = term or rng.choice(self.terms)
            sentence = rng.choice([s for s in SENTENCES if s not in body])
            body.insert(rng.randint(0, len(body)), sentence)
            body = [s.replace("{t}", t) for s in body]
        text = "".join(body)
        for key, value in (("{n}", (5, 60)), ("{m}", (5, 40)), ("{k}", (1, 12))):
            text = text.replace(key, str(rng.randint(*value)))
        if discipline is None:
            discipline = rng.choices(self.disciplines, self.discipline_weights)[0]
        return text, discipline

    def _keywords(self, term: str | None) -> list[str]:
        pool = self.corpus.keywords or list(FALLBACK_KEYWORDS)
        chosen = [self.rng.choice(pool) for _ in range(self.rng.randint(3, 5))]
        if term is not None:
            chosen.insert(0, term)
        return list(dict.fromkeys(chosen))

    def _english(
        self, term: str | None, suffix: int, keywords: list[str]
    ) -> tuple[str, str, list[str]]:
        subject = DOMAIN_TERMS[term] if term else self.rng.choice(list(DOMAIN_TERMS.values()))
        what = EN_SUFFIXES[suffix]
        name = f"{what.capitalize()} for {subject}"
        article = "An" if what[0] in "aeiou" else "A"
        abstract = (
            f"This result addresses key problems of {subject} in Yunnan. "
            f"{article} {what} was developed and verified in pilot production; "
            "efficiency rose and cost fell, and several patents were filed."
        )
        return name, abstract, [subject, what]

    def _industry(self) -> str:
        section = self.rng.choice(("A", "C", "C", "C", "D", "I", "M", "M", "N", "Q"))
        first, last = INDUSTRY_SECTIONS[section]
        division = self.rng.randint(first, last)
        return f"{section}{division:02d}{self.rng.randint(1, 9)}{self.rng.randint(0, 9)}"

    def _ip_rights(self, year: int) -> list[tuple[str, str]]:
        rights = []
        for _ in range(self.rng.choices((0, 1, 2, 3), (15, 45, 25, 15))[0]):
            kind = self.rng.choices(self.ip_kinds, self.ip_weights)[0]
            filed = self.rng.randint(2010, min(year, 2025))
            if kind in PATENT_DIGIT:
                digits = f"{filed}{PATENT_DIGIT[kind]}{self.rng.randint(0, 9_999_999):07d}"
                number = "ZL" + complete_patent_application_number(digits)
            elif kind == "software_copyright":
                number = f"{filed}SR{self.rng.randint(0, 9_999_999):07d}"
            else:
                number = f"CNA{filed}{self.rng.randint(0, 99_999):05d}"
            rights.append((kind, number))
        return rights


def to_search_doc(record: Record) -> object:
    """The record as the platform's index sees it (``kttc.center.search.base.SearchDoc``)."""
    from kttc.center.search.base import SearchDoc

    licensing = list(record.transformation_modes)
    if record.use_first_pay_later:
        licensing.append("use_first_pay_later")
    return SearchDoc(
        id=record.id,
        name=record.name,
        abstract=record.abstract,
        keywords=record.keywords,
        translations={"en": record.en} if record.en else {},
        unit_id=record.unit_id,
        unit_name=record.unit_name,
        unit_name_en=record.unit_name_en,
        discipline=record.discipline_code[:3],
        industry=record.industry_code[:1],
        trl=record.trl,
        ip_kinds=sorted({kind for kind, _n in record.ip_rights}),
        licensing=licensing,
        year=record.year,
        published_at=record.published_at,
        promoted=record.promoted,
        major=record.major,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for record in Generator(args.seed).records(args.size):
        print(json.dumps(asdict(record), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
