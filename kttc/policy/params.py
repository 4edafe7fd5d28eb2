"""The numbers of the measures, as one versioned table.

Every number of ``MEASURES.md`` lives here with the clause ids that set it, and nowhere else in the
code: services ask :func:`version_in_force` (through ``kttc.core.selectors``) for the parameters in
force on the relevant date. The database keeps the published versions; a version is data, so the
bureau can publish a new one without a code change, and a version never changes once in force.

Values are stored as text (``"15"``, ``"0.70"``, ``"100000.00"``) so that ratios and money stay
exact decimals through JSON and both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from kttc.policy.calendar import add_years
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop

ParameterKind = Literal["days", "months", "years", "ratio", "money"]


@dataclass(frozen=True)
class ParameterSpec:
    """What one parameter means: its unit, the clauses that set it and a title for people."""

    key: str
    kind: ParameterKind
    clauses: tuple[str, ...]
    title: str


SPECS: Final[tuple[ParameterSpec, ...]] = (
    ParameterSpec(
        "empowerment_notice_min_days",
        "days",
        ("M1.5",),
        gettext_noop("Minimum length of the empowerment notice inside the unit"),
    ),
    ParameterSpec(
        "transformation_deadline_max_years",
        "years",
        ("M4.2",),
        gettext_noop("Longest transformation deadline after project approval"),
    ),
    ParameterSpec(
        "open_licensing_after_years",
        "years",
        ("M4.4",),
        gettext_noop(
            "Years after the IP was obtained before an untransformed result goes to open licensing"
        ),
    ),
    ParameterSpec(
        "completer_income_min_share",
        "ratio",
        ("M5.2",),
        gettext_noop(
            "Minimum share of net income of a registered transfer or licence for the completers"
        ),
    ),
    ParameterSpec(
        "service_staff_reward_min_share",
        "ratio",
        ("M5.3",),
        gettext_noop(
            "Minimum share of the unit's retained income for transfer service staff, "
            "when the unit uses it"
        ),
    ),
    ParameterSpec(
        "completer_equity_min_share",
        "ratio",
        ("M6.1",),
        gettext_noop(
            "Minimum share of the equity from investing a result held directly by the completers"
        ),
    ),
    ParameterSpec(
        "submission_due_months",
        "months",
        ("M8.6",),
        gettext_noop("Months within which a fiscally funded result is submitted to the platform"),
    ),
    ParameterSpec(
        "demonstration_institution_subsidy",
        "money",
        ("M9.1",),
        gettext_noop("Subsidy for a certified key demonstration service institution (CNY)"),
    ),
    ParameterSpec(
        "broker_reward_min_share",
        "ratio",
        ("M9.2",),
        gettext_noop(
            "Minimum share of the institution subsidy for technology brokers, when the "
            "institution rewards them"
        ),
    ),
    ParameterSpec(
        "measures_validity_years",
        "years",
        ("V.1",),
        gettext_noop("Validity of the measures from issuance"),
    ),
)

SPEC_BY_KEY: Final[dict[str, ParameterSpec]] = {spec.key: spec for spec in SPECS}


@dataclass(frozen=True)
class PolicyParameters:
    """The parameters of one policy version, typed: whole periods as ``int``, shares and money
    as exact ``Decimal``."""

    empowerment_notice_min_days: int
    transformation_deadline_max_years: int
    open_licensing_after_years: int
    completer_income_min_share: Decimal
    service_staff_reward_min_share: Decimal
    completer_equity_min_share: Decimal
    submission_due_months: int
    demonstration_institution_subsidy: Decimal
    broker_reward_min_share: Decimal
    measures_validity_years: int

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> PolicyParameters:
        """Parse stored text values, refusing a missing, unknown or out-of-range one."""
        unknown = sorted(set(values) - set(SPEC_BY_KEY))
        if unknown:
            raise PolicyError(
                gettext_noop("Unknown policy parameter: %(key)s."),
                code="policy.parameter_unknown",
                field=unknown[0],
                params={"key": unknown[0]},
            )
        parsed: dict[str, int | Decimal] = {}
        for spec in SPECS:
            if spec.key not in values:
                raise PolicyError(
                    gettext_noop("The policy parameter %(key)s is missing."),
                    code="policy.parameter_missing",
                    field=spec.key,
                    clauses=spec.clauses,
                    params={"key": spec.key},
                )
            parsed[spec.key] = parse_value(spec, values[spec.key])
        return cls(**parsed)  # type: ignore[arg-type]  # each value is parsed to its spec's type

    def to_values(self) -> dict[str, str]:
        """The text form stored in the database, in the order of :data:`SPECS`."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}


def parse_value(spec: ParameterSpec, text: str) -> int | Decimal:
    """Parse one parameter value; periods are positive whole numbers, ratios lie in (0, 1],
    money is non-negative to the fen."""
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _out_of_range(spec, text)
    if spec.kind in ("days", "months", "years"):
        if number != number.to_integral_value() or number < 1:
            raise _out_of_range(spec, text)
        return int(number)
    if spec.kind == "ratio":
        if not Decimal(0) < number <= Decimal(1):
            raise _out_of_range(spec, text)
        return number
    if number < 0 or number != number.quantize(Decimal("0.01")):
        raise _out_of_range(spec, text)
    return number.quantize(Decimal("0.01"))


def _out_of_range(spec: ParameterSpec, text: str) -> PolicyError:
    expectations = {
        "days": gettext_noop("a whole number of days, at least 1"),
        "months": gettext_noop("a whole number of months, at least 1"),
        "years": gettext_noop("a whole number of years, at least 1"),
        "ratio": gettext_noop("a share above 0 and at most 1, such as 0.70"),
        "money": gettext_noop("an amount in CNY, not negative, to the fen"),
    }
    return PolicyError(
        gettext_noop("%(key)s must be %(expected)s; %(value)s is not."),
        code="policy.parameter_invalid",
        field=spec.key,
        clauses=spec.clauses,
        params={"key": spec.key, "expected": expectations[spec.kind], "value": text},
    )


#: The parameters as the measures set them (《昆明市促进科技成果转化若干措施（试行）》).
MEASURES_2026: Final[PolicyParameters] = PolicyParameters(
    empowerment_notice_min_days=15,
    transformation_deadline_max_years=5,
    open_licensing_after_years=5,
    completer_income_min_share=Decimal("0.70"),
    service_staff_reward_min_share=Decimal("0.10"),
    completer_equity_min_share=Decimal("0.70"),
    submission_due_months=3,
    demonstration_institution_subsidy=Decimal("100000.00"),
    broker_reward_min_share=Decimal("0.10"),
    measures_validity_years=3,
)


@dataclass(frozen=True)
class PolicyVersion:
    """One published version: in force from ``effective_from`` until the day before the next
    version starts, or until ``effective_until`` when that comes first."""

    code: str
    effective_from: date
    effective_until: date | None
    parameters: PolicyParameters


def version_in_force(versions: Iterable[PolicyVersion], on: date) -> PolicyVersion:
    """V.1: the version in force on ``on`` is the latest one that has started by then, provided
    it has not expired. A date before every version is judged by the first one: units record
    projects approved and results formed before the measures took effect, and the measures
    are the only rules they can be held to (history is data too). A date after the last
    version expired has none, nor has any date when no version was ever published."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    started = [v for v in ordered if v.effective_from <= on]
    if not started and ordered:
        return ordered[0]
    if started:
        latest = started[-1]
        if latest.effective_until is None or on <= latest.effective_until:
            return latest
    raise PolicyError(
        gettext_noop("No policy version is in force on %(date)s."),
        code="policy.no_version",
        clauses=("V.1",),
        params={"date": on.isoformat()},
    )


def with_measures_start(versions: Iterable[PolicyVersion], start: date) -> list[PolicyVersion]:
    """V.1: the versions, oldest first, the first one in force from ``start``: the day the
    measures took effect, which the text gives only as "from issuance", so the installation
    sets it. A first version with an end date keeps its validity (``measures_validity_years``)
    from the new start: it ends the day before that many years have passed."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    if not ordered:
        return []
    first = ordered[0]
    until = first.effective_until
    if until is not None:
        until = add_years(start, first.parameters.measures_validity_years) - timedelta(days=1)
    return [replace(first, effective_from=start, effective_until=until), *ordered[1:]]


def check_measures_start(versions: Iterable[PolicyVersion], start: date, *, today: date) -> None:
    """V.1: the day the measures took effect has come, and falls before the second version
    starts, so that the versions stay in order."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    if not ordered:
        raise PolicyError(
            gettext_noop("No policy version is published yet."),
            code="policy.no_version",
            field="effective_from",
            clauses=("V.1",),
        )
    if start > today:
        raise PolicyError(
            gettext_noop("The measures cannot have taken effect on %(date)s, a day still to come."),
            code="policy.measures_start_future",
            field="effective_from",
            clauses=("V.1",),
            params={"date": start.isoformat()},
        )
    if len(ordered) > 1 and start >= ordered[1].effective_from:
        raise PolicyError(
            gettext_noop(
                "The measures took effect before the next version (%(code)s) started on %(date)s."
            ),
            code="policy.version_order",
            field="effective_from",
            clauses=("V.1",),
            params={"code": ordered[1].code, "date": ordered[1].effective_from.isoformat()},
        )


def check_new_version(
    existing: Iterable[PolicyVersion], new: PolicyVersion, *, today: date
) -> None:
    """V.1: a new version starts today or later and after every existing version, so that no
    decision already taken changes its rules and no version in force is rewritten."""
    versions = list(existing)
    if any(v.code == new.code for v in versions):
        raise PolicyError(
            gettext_noop("A policy version with the code %(code)s already exists."),
            code="policy.version_duplicate",
            field="code",
            clauses=("V.1",),
            params={"code": new.code},
        )
    if new.effective_from < today:
        raise PolicyError(
            gettext_noop(
                "A new policy version cannot take effect in the past (%(date)s); "
                "decisions already taken keep the rules they were taken under."
            ),
            code="policy.version_retroactive",
            field="effective_from",
            clauses=("V.1",),
            params={"date": new.effective_from.isoformat()},
        )
    later = [v for v in versions if v.effective_from >= new.effective_from]
    if later:
        raise PolicyError(
            gettext_noop("A new policy version must start after the latest one (%(date)s)."),
            code="policy.version_order",
            field="effective_from",
            clauses=("V.1",),
            params={"date": max(v.effective_from for v in later).isoformat()},
        )
    if new.effective_until is not None and new.effective_until < new.effective_from:
        raise PolicyError(
            gettext_noop("A policy version cannot end before it starts."),
            code="policy.version_period",
            field="effective_until",
            clauses=("V.1",),
        )
