"""Rules of technology demands (技术需求): what an enterprise may post, and how a demand moves
from moderation to the public demand hall and out of it (M8.1: many kinds of actors, at home and
in South and Southeast Asia; M8.4: open cooperation on domestic and international transfer).

Pure functions over plain values; ``kttc.center.demands.services`` calls them and turns a refusal
into an error the user sees beside the field it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kttc.policy.classifications import validate_discipline_code, validate_industry_code
from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import MONEY_MAX_DIGITS

CLAUSES: Final = ("M8.1", "M8.4")
#: The largest budget a demand may state, in yuan: what a money column holds.
BUDGET_MAX: Final = Decimal(10 ** (MONEY_MAX_DIGITS - 2)) - Decimal("0.01")
TITLE_MAX: Final = 200
DESCRIPTION_MAX: Final = 5000


class Status(StrEnum):
    PENDING = "pending"  # waiting for the center's moderation
    PUBLISHED = "published"  # in the public demand hall
    REJECTED = "rejected"  # the center refused it, saying why
    CLOSED_MET = "closed_met"  # the enterprise found what it needed
    CLOSED = "closed"  # the enterprise withdrew it
    EXPIRED = "expired"  # its deadline passed


class Actor(StrEnum):
    AUTHOR = "author"  # the enterprise that posted it
    CENTER = "center"  # the center's reviewers
    SWEEP = "sweep"  # the daily sweep, at the deadline


class Mode(StrEnum):
    """The ways of cooperation an enterprise is open to."""

    LICENCE = "licence"
    TRANSFER = "transfer"
    JOINT_DEVELOPMENT = "joint_development"
    CONSULTING = "consulting"
    EQUITY = "equity"


#: The languages a demand may be written in: those the platform serves.
LANGUAGES: Final = ("zh-hans", "en", "vi", "th", "lo", "my", "km")

#: (from, to) -> who may move a demand.
TRANSITIONS: Final[dict[tuple[Status, Status], Actor]] = {
    (Status.PENDING, Status.PUBLISHED): Actor.CENTER,
    (Status.PENDING, Status.REJECTED): Actor.CENTER,
    (Status.PENDING, Status.CLOSED): Actor.AUTHOR,
    (Status.PUBLISHED, Status.CLOSED_MET): Actor.AUTHOR,
    (Status.PUBLISHED, Status.CLOSED): Actor.AUTHOR,
    (Status.PENDING, Status.EXPIRED): Actor.SWEEP,
    (Status.PUBLISHED, Status.EXPIRED): Actor.SWEEP,
}
#: Where the author may still change the text: before the center has published it.
EDITABLE: Final = frozenset({Status.PENDING})
#: Where answers are taken.
ANSWERABLE: Final = frozenset({Status.PUBLISHED})

#: ISO 3166-1 alpha-2, the officially assigned codes.
_ISO_3166 = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW"
)
COUNTRIES: Final = frozenset(_ISO_3166.split())


def check_transition(current: Status, target: Status, actor: Actor) -> None:
    """M8.1: whether ``actor`` may move a demand from ``current`` to ``target``."""
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        raise refuse(
            gettext_noop("A demand cannot go from %(current)s to %(target)s."),
            "demand.transition",
            "status",
            CLAUSES,
            current=current.value,
            target=target.value,
        )
    if allowed is not actor:
        raise refuse(
            gettext_noop("Only the %(actor)s may move a demand to %(target)s."),
            "demand.transition_actor",
            "status",
            CLAUSES,
            actor=allowed.value,
            target=target.value,
        )


def check_budget(
    low: Decimal | None, high: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """M8.1: a budget range in yuan, each end optional, neither negative nor beyond what the
    platform records, the lower end not above the upper; returned to the fen."""
    for value, field in ((low, "budget_min"), (high, "budget_max")):
        if value is None:
            continue
        if not value.is_finite() or value < 0 or value > BUDGET_MAX:
            raise refuse(
                gettext_noop("A budget is an amount in yuan from 0 to %(maximum)s."),
                "demand.budget_amount",
                field,
                CLAUSES,
                maximum=f"{BUDGET_MAX:,.2f}",
            )
    if low is not None and high is not None and low > high:
        raise refuse(
            gettext_noop(
                "The budget's lower end (%(low)s yuan) is above its upper end (%(high)s yuan)."
            ),
            "demand.budget_range",
            "budget_max",
            CLAUSES,
            low=f"{low:,.2f}",
            high=f"{high:,.2f}",
        )
    cent = Decimal("0.01")
    return (
        None if low is None else low.quantize(cent),
        None if high is None else high.quantize(cent),
    )


def check_deadline(deadline: date, today: date) -> date:
    """M8.1: a demand is answered until its deadline, a day after today (Asia/Shanghai)."""
    if deadline <= today:
        raise refuse(
            gettext_noop("The deadline must be after today (%(today)s); it is %(deadline)s."),
            "demand.deadline_past",
            "deadline",
            CLAUSES,
            today=today.isoformat(),
            deadline=deadline.isoformat(),
        )
    return deadline


def check_modes(values: Iterable[str]) -> list[str]:
    """M8.4: at least one way of cooperation, each a known one; returned once each, in the
    order of :class:`Mode`."""
    chosen = set(values)
    unknown = sorted(chosen - {m.value for m in Mode})
    if unknown:
        raise refuse(
            gettext_noop("Unknown way of cooperation: %(mode)s."),
            "demand.mode_unknown",
            "modes",
            CLAUSES,
            mode=", ".join(unknown),
        )
    if not chosen:
        raise refuse(
            gettext_noop("Choose at least one way of cooperation."),
            "demand.mode_required",
            "modes",
            CLAUSES,
        )
    return [m.value for m in Mode if m.value in chosen]


def check_country(code: str) -> str:
    """M8.1: the country of the need, an ISO 3166-1 alpha-2 code (CN, VN, TH …)."""
    text = code.strip().upper()
    if text not in COUNTRIES:
        raise refuse(
            gettext_noop("%(value)s is not an ISO 3166 country code such as CN, VN or TH."),
            "demand.country",
            "country",
            CLAUSES,
            value=code,
        )
    return text


def check_language(code: str) -> str:
    """M8.1: the language the demand is written in, one the platform serves."""
    if code not in LANGUAGES:
        raise refuse(
            gettext_noop("The platform does not serve the language %(value)s."),
            "demand.language",
            "language",
            CLAUSES,
            value=code,
        )
    return code


def check_trl(level: int | None) -> int | None:
    """GB/T 22900: the readiness wanted, a level 1-9, or not said."""
    if level is not None and not 1 <= level <= 9:
        raise refuse(
            gettext_noop("The readiness level must be 1 to 9 (GB/T 22900); it is %(level)s."),
            "demand.trl",
            "trl",
            level=level,
        )
    return level


def check_codes(industry: str, discipline: str) -> tuple[str, str]:
    """GB/T 4754 industry and GB/T 13745 discipline, each optional, named by the demand's
    fields."""
    try:
        industry = validate_industry_code(industry) if industry.strip() else ""
    except PolicyError as exc:
        raise PolicyError(
            exc.template, code=exc.code, field="industry", params=exc.params
        ) from None
    try:
        discipline = validate_discipline_code(discipline) if discipline.strip() else ""
    except PolicyError as exc:
        raise PolicyError(
            exc.template, code=exc.code, field="discipline", params=exc.params
        ) from None
    return industry, discipline


def check_required(text: str, *, field: str, maximum: int) -> str:
    """A title or a description: said, and not too long."""
    text = text.strip()
    if not text:
        raise refuse(gettext_noop("This field is required."), "required", field)
    if len(text) > maximum:
        raise refuse(
            gettext_noop("At most %(maximum)s characters; this one has %(length)s."),
            "demand.too_long",
            field,
            maximum=maximum,
            length=len(text),
        )
    return text


def check_translation(
    language: str, title: str, description: str, *, original: str
) -> tuple[str, str]:
    """M8.1, M8.4: a demand's text in another language of the platform than its original, for
    readers there: both its title and its description (a refusal names the field, suffixed
    with the language: ``title_en``), each within the original's maxima."""
    if language not in LANGUAGES or language == original:
        raise refuse(
            gettext_noop("A translation is into another language of the platform: %(value)s."),
            "demand.translation_language",
            f"title_{language}" if language in LANGUAGES else "language",
            CLAUSES,
            value=language,
        )
    title, description = title.strip(), description.strip()
    for text, name, maximum in (
        (title, "title", TITLE_MAX),
        (description, "description", DESCRIPTION_MAX),
    ):
        if not text:
            raise refuse(
                gettext_noop("A translation needs both the title and the description."),
                "demand.translation_incomplete",
                f"{name}_{language}",
                CLAUSES,
            )
        if len(text) > maximum:
            raise refuse(
                gettext_noop("At most %(maximum)s characters; this one has %(length)s."),
                "demand.too_long",
                f"{name}_{language}",
                maximum=maximum,
                length=len(text),
            )
    return title, description
