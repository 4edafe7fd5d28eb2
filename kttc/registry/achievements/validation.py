"""One validation of an achievement's data, shared by the form, the API and the bulk import.

``validate_achievement`` takes plain values (text from a form cell or JSON), checks every field
against the national conventions and the measures, and returns normalised data or raises
:class:`Invalid` listing *every* problem with its field, so an import report can name them all.
No Django here: the same code runs for one form and for a million rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kttc.policy import classifications, identifiers, registry
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text

ACHIEVEMENT_TYPES = ("applied", "basic", "soft")
ATTRIBUTES = ("original", "imported", "secondary")
EVALUATION_LEVELS = (
    "international_leading",
    "international_advanced",
    "domestic_leading",
    "domestic_advanced",
    "not_evaluated",
)
TRANSFORMATION_MODES = ("transfer", "licence", "equity", "joint_development")
IP_KINDS = ("invention", "utility_model", "design", "software_copyright", "plant_variety", "other")
IP_STATUSES = ("pending", "granted", "lapsed")
#: Languages of translated content: English and the languages of South and Southeast Asia and
#: the BRICS partners the center works with (M8.1).
#: What enterprises read of a result, translated like its name and abstract.
BUYER_FIELDS = ("advantage", "target_market", "route_to_market")

CONTENT_LANGUAGES = (
    "en",
    "vi",
    "th",
    "lo",
    "my",
    "km",
    "ms",
    "id",
    "fil",
    "hi",
    "bn",
    "ne",
    "si",
    "ru",
    "pt",
    "ar",
)
MAX_KEYWORDS = 10
#: Which kinds of application number (ZC 0006-2003) fit each kind of patent right.
PATENT_KINDS = {
    "invention": {"invention", "pct_invention"},
    "utility_model": {"utility_model", "pct_utility_model"},
    "design": {"design"},
}


#: The achievement's own fields that the form, the import and the model share one to one.
SCALAR_FIELDS = (
    "name",
    "achievement_type",
    "attribute",
    "abstract",
    "discipline_code",
    "industry_code",
    "trl",
    "evaluation_level",
    "formation_date",
    "confidentiality",
    "national_interest",
    "transformation_modes",
    "use_first_pay_later",
    "asking_terms",
    "advantage",
    "target_market",
    "route_to_market",
    "external_ref",
)


#: Texts of several lines: they may keep their tabs and line breaks (also inside a translation).
MULTILINE_FIELDS = frozenset(
    ("abstract", "asking_terms", "advantage", "target_market", "route_to_market")
)


class Invalid(PolicyError):
    """Several problems at once; ``errors`` lists each with its field."""

    def __init__(self, errors: Sequence[PolicyError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(
            first.template,
            code=first.code,
            field=first.field,
            clauses=first.clauses,
            params=first.params,
        )


@dataclass(frozen=True)
class UnitShare:
    name: str
    share: Decimal


@dataclass(frozen=True)
class CompleterShare:
    name: str
    unit_name: str
    share: Decimal


@dataclass(frozen=True)
class IPRightData:
    kind: str
    number: str
    status: str
    title: str = ""
    grant_date: date | None = None


@dataclass(frozen=True)
class TranslationData:
    language: str
    name: str
    abstract: str
    keywords: list[str]
    advantage: str = ""
    target_market: str = ""
    route_to_market: str = ""


@dataclass(frozen=True)
class AchievementData:
    """An achievement's fields, checked and normalised."""

    name: str
    achievement_type: str
    attribute: str
    keywords: list[str]
    abstract: str
    discipline_code: str
    industry_code: str
    trl: int
    stage: str
    evaluation_level: str
    formation_date: date
    confidentiality: str
    national_interest: bool
    transformation_modes: list[str]
    use_first_pay_later: bool
    asking_terms: str
    advantage: str
    target_market: str
    route_to_market: str
    units: list[UnitShare]
    completers: list[CompleterShare]
    ip_rights: list[IPRightData] = field(default_factory=list)
    translations: list[TranslationData] = field(default_factory=list)
    project_number: str = ""
    external_ref: str = ""


class _Collector:
    """Runs each check, keeps going after a failure, and remembers every error."""

    def __init__(self) -> None:
        self.errors: list[PolicyError] = []

    def run(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except PolicyError as exc:
            self.errors.append(exc)
            return None

    def fail(self, template: str, *, code: str, field: str, **params: object) -> None:
        self.errors.append(PolicyError(template, code=code, field=field, params=params))


def _text(
    raw: Mapping[str, Any], key: str, c: _Collector, *, required: bool = True, max_length: int = 300
) -> str:
    value = raw.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        c.fail(gettext_noop("This field is required."), code="required", field=key)
    elif len(text) > max_length:
        c.fail(
            gettext_noop("At most %(max)s characters; this has %(length)s."),
            code="too_long",
            field=key,
            max=max_length,
            length=len(text),
        )
    return text


def _texts(value: Any, multiline: bool) -> Iterator[tuple[str, bool]]:
    """Every text inside a value as JSON holds it, with whether it may have several lines."""
    if isinstance(value, str):
        yield value, multiline
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(key, False)
            yield from _texts(item, str(key) in MULTILINE_FIELDS)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, multiline)


def _control_characters(raw: Mapping[str, Any], c: _Collector) -> None:
    """Refuse control characters and bidirectional overrides in every text, naming its field
    (the first such text of each field)."""
    for key, value in raw.items():
        for text, multiline in _texts(value, str(key) in MULTILINE_FIELDS):
            if c.run(check_text, text, field=str(key), multiline=multiline) is None:
                break


def _choice(
    raw: Mapping[str, Any],
    key: str,
    allowed: Sequence[str],
    c: _Collector,
    default: str | None = None,
) -> str:
    value = str(raw.get(key) or default or "").strip()
    if value not in allowed:
        c.fail(
            gettext_noop("%(value)s is not one of: %(allowed)s."),
            code="choice",
            field=key,
            value=value or "—",
            allowed=", ".join(allowed),
        )
    return value


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace("；", ";").replace("，", ",").replace("、", ",").replace(";", ",")
        return [p.strip() for p in parts.split(",") if p.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _decimal(value: Any, key: str, c: _Collector) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        c.fail(
            gettext_noop("%(value)s is not a number."), code="number", field=key, value=str(value)
        )
        return None
    return number if number.is_finite() else None


def _date(value: Any, key: str, c: _Collector, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            c.fail(gettext_noop("This field is required."), code="required", field=key)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        c.fail(
            gettext_noop("%(value)s is not a date (YYYY-MM-DD)."),
            code="date",
            field=key,
            value=str(value),
        )
        return None


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "y", "是", "x", "✓")


def _keywords(raw: Mapping[str, Any], key: str, c: _Collector) -> list[str]:
    words = list(dict.fromkeys(_list(raw.get(key))))
    if not words:
        c.fail(gettext_noop("At least one keyword is required."), code="required", field=key)
    elif len(words) > MAX_KEYWORDS:
        c.fail(
            gettext_noop("At most %(max)s keywords; there are %(count)s."),
            code="too_many",
            field=key,
            max=MAX_KEYWORDS,
            count=len(words),
        )
    for word in words:
        if len(word) > 40:
            c.fail(
                gettext_noop("A keyword has at most 40 characters: %(word)s."),
                code="too_long",
                field=key,
                word=word[:40],
            )
    return words


def _shares(items: Sequence[Mapping[str, Any]], key: str, c: _Collector) -> list[Decimal]:
    shares = []
    for item in items:
        share = _decimal(item.get("share"), key, c)
        if share is not None:
            shares.append(share)
    if len(shares) == len(items):
        c.run(registry.check_shares, shares, field=key)
    return shares


def _ip_right(item: Mapping[str, Any], c: _Collector, today: date) -> IPRightData | None:
    before = len(c.errors)
    kind = _choice(item, "kind", IP_KINDS, c)
    status = _choice(item, "status", IP_STATUSES, c, default="pending")
    number = str(item.get("number") or "").strip()
    grant = _date(item.get("grant_date"), "grant_date", c, required=False)
    if not number:
        c.fail(gettext_noop("The IP right needs its number."), code="required", field="number")
    elif kind in PATENT_KINDS:
        parsed = c.run(identifiers.parse_patent_application_number, number, today=today)
        if parsed is not None:
            number = parsed.application_number
            if parsed.kind.value not in PATENT_KINDS[kind]:
                c.fail(
                    gettext_noop("The number %(number)s is not one of a %(kind)s."),
                    code="patent.kind_mismatch",
                    field="number",
                    number=number,
                    kind=kind,
                )
    if status == "granted" and grant is None:
        c.fail(
            gettext_noop("A granted right needs its grant date."),
            code="required",
            field="grant_date",
        )
    if grant is not None and grant > today:
        c.fail(
            gettext_noop("The grant date cannot be in the future."),
            code="date.future",
            field="grant_date",
        )
    if len(c.errors) > before:
        return None
    return IPRightData(kind, number, status, str(item.get("title") or "").strip()[:300], grant)


def _trl(raw: Mapping[str, Any], c: _Collector) -> tuple[int, str]:
    """The readiness level (a whole number, 0 when it is not one) and the stage it makes."""
    trl_raw = _decimal(raw.get("trl"), "trl", c)
    trl = int(trl_raw) if trl_raw is not None and trl_raw == trl_raw.to_integral_value() else 0
    stage = c.run(registry.trl_stage, trl) if trl_raw is not None else None
    return trl, stage or ""


def _formation(raw: Mapping[str, Any], c: _Collector, today: date) -> date | None:
    """The formation date, never in the future."""
    formation = _date(raw.get("formation_date"), "formation_date", c)
    if formation is not None and formation > today:
        c.fail(
            gettext_noop("The formation date cannot be in the future."),
            code="date.future",
            field="formation_date",
        )
    return formation


def _modes(raw: Mapping[str, Any], c: _Collector) -> list[str]:
    """The transformation modes offered, each once, each a known one."""
    modes = list(dict.fromkeys(_list(raw.get("transformation_modes"))))
    for mode in modes:
        if mode not in TRANSFORMATION_MODES:
            c.fail(
                gettext_noop("%(value)s is not one of: %(allowed)s."),
                code="choice",
                field="transformation_modes",
                value=mode,
                allowed=", ".join(TRANSFORMATION_MODES),
            )
    return modes


def _people(raw: Mapping[str, Any], c: _Collector) -> tuple[list[UnitShare], list[CompleterShare]]:
    """The completing units and completers, each named, with their shares."""
    units = list(raw.get("units") or [])
    completers = list(raw.get("completers") or [])
    for index, item in enumerate([*units, *completers]):
        if not str(item.get("name") or "").strip():
            c.fail(
                gettext_noop("Every completing unit and completer needs a name."),
                code="required",
                field="units" if index < len(units) else "completers",
            )
    unit_shares = _shares(units, "units", c)
    completer_shares = _shares(completers, "completers", c)
    return (
        [
            UnitShare(str(u["name"]).strip()[:200], s)
            for u, s in zip(units, unit_shares, strict=False)
        ],
        [
            CompleterShare(
                str(p["name"]).strip()[:100], str(p.get("unit_name") or "").strip()[:200], s
            )
            for p, s in zip(completers, completer_shares, strict=False)
        ],
    )


def validate_achievement(raw: Mapping[str, Any], *, today: date) -> AchievementData:
    """Check every field; raise :class:`Invalid` with all problems, or return the data."""
    c = _Collector()
    confidentiality = c.run(
        registry.check_confidentiality, str(raw.get("confidentiality") or "public").strip()
    )
    if c.errors and c.errors[-1].code == "achievement.classified":
        raise Invalid(c.errors)  # refused at the door: nothing else of it is even looked at
    _control_characters(raw, c)
    name = _text(raw, "name", c)
    abstract = _text(raw, "abstract", c, max_length=5000)
    discipline = c.run(
        classifications.validate_discipline_code, str(raw.get("discipline_code") or "")
    )
    industry = c.run(classifications.validate_industry_code, str(raw.get("industry_code") or ""))
    trl, stage = _trl(raw, c)
    formation = _formation(raw, c, today)
    modes = _modes(raw, c)
    units, completers = _people(raw, c)
    ip_rights = [_ip_right(item, c, today) for item in raw.get("ip_rights") or []]
    translations = _translations(raw.get("translations") or [], c)
    data = AchievementData(
        name=name,
        achievement_type=_choice(raw, "achievement_type", ACHIEVEMENT_TYPES, c, "applied"),
        attribute=_choice(raw, "attribute", ATTRIBUTES, c, "original"),
        keywords=_keywords(raw, "keywords", c),
        abstract=abstract,
        discipline_code=discipline or "",
        industry_code=industry or "",
        trl=trl,
        stage=stage,
        evaluation_level=_choice(raw, "evaluation_level", EVALUATION_LEVELS, c, "not_evaluated"),
        formation_date=formation or today,
        confidentiality=(confidentiality or registry.Confidentiality.PUBLIC).value,
        national_interest=_flag(raw.get("national_interest")),
        transformation_modes=modes,
        use_first_pay_later=_flag(raw.get("use_first_pay_later")),
        asking_terms=_text(raw, "asking_terms", c, required=False, max_length=2000),
        advantage=_text(raw, "advantage", c, required=False, max_length=2000),
        target_market=_text(raw, "target_market", c, required=False, max_length=2000),
        route_to_market=_text(raw, "route_to_market", c, required=False, max_length=2000),
        units=units,
        completers=completers,
        ip_rights=[ip for ip in ip_rights if ip is not None],
        translations=translations,
        project_number=_text(raw, "project_number", c, required=False, max_length=64),
        external_ref=_text(raw, "external_ref", c, required=False, max_length=64),
    )
    if c.errors:
        raise Invalid(c.errors)
    return data


def _translations(items: Sequence[Mapping[str, Any]], c: _Collector) -> list[TranslationData]:
    result, seen = [], set()
    for item in items:
        language = str(item.get("language") or "").strip().lower()
        if language not in CONTENT_LANGUAGES or language in seen:
            c.fail(
                gettext_noop("%(value)s is not a content language, or is given twice."),
                code="translation.language",
                field="translations",
                value=language or "—",
            )
            continue
        seen.add(language)
        name = str(item.get("name") or "").strip()
        abstract = str(item.get("abstract") or "").strip()
        if not name or not abstract:
            c.fail(
                gettext_noop("A translation needs at least the name and the abstract."),
                code="required",
                field="translations",
            )
            continue
        buyer = [str(item.get(key) or "").strip()[:2000] for key in BUYER_FIELDS]
        result.append(
            TranslationData(
                language,
                name[:300],
                abstract[:5000],
                _list(item.get("keywords"))[:MAX_KEYWORDS],
                *buyer,
            )
        )
    return result
