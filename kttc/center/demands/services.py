"""Writes of demands (M8.1, M8.4): an enterprise posts and edits a demand, the center publishes
or rejects it, the enterprise closes it (met, with the licence or contract that met it, or
withdrawn), units and brokers answer it. Each decision is audited and tells whoever waits for it
at once (DESIGN rule 12); the expiry at the deadline is the sweep's (:mod:`.sweep`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands import notices
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand, DemandAnswer, DemandTranslation
from kttc.center.demands.selectors import is_owner
from kttc.center.partners import selectors as partners
from kttc.core.errors import AccessDenied
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import calendar
from kttc.policy import demands as demand_rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.policy.text import check_text
from kttc.reform.licensing.models import Licence
from kttc.registry.models import Achievement
from kttc.registry.selectors import public_achievements

#: What the author may change while the demand waits for moderation.
FIELDS = ("title", "description", "industry", "discipline", "trl", "budget_min", "budget_max",
          "modes", "deadline", "country", "language")  # fmt: skip


@dataclass(frozen=True)
class DemandTranslationData:
    """The demand's title and description in another language of the platform."""

    language: str
    title: str
    description: str


@dataclass(frozen=True)
class DemandData:
    """A demand as typed in the form or the API, before the rules have looked at it."""

    title: str
    description: str
    deadline: date
    modes: list[str] = field(default_factory=list)
    industry: str = ""
    discipline: str = ""
    trl: int | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    country: str = "CN"
    language: str = "zh-hans"
    translations: list[DemandTranslationData] = field(default_factory=list)


def translations_validate(data: DemandData, original: str) -> dict[str, tuple[str, str]]:
    """M8.1, M8.4: each translation checked (another language than the original, title and
    description both given, each refusal naming ``title_<language>`` or
    ``description_<language>``); {language: (title, description)}, one per language."""
    found: dict[str, tuple[str, str]] = {}
    for t in data.translations:
        title = check_text(t.title, field=f"title_{t.language}")
        description = check_text(t.description, field=f"description_{t.language}", multiline=True)
        if t.language in found:
            raise refuse(
                gettext_noop("One translation per language: %(value)s is given twice."),
                "demand.translation_twice",
                "translations",
                ("M8.1", "M8.4"),
                value=t.language,
            )
        found[t.language] = demand_rules.check_translation(
            t.language, title, description, original=original
        )
    return found


def _translations_save(demand: Demand, translations: dict[str, tuple[str, str]]) -> None:
    """Keep exactly ``translations``: those no longer given are removed."""
    demand.translations.exclude(language__in=list(translations)).delete()
    for language, (title, description) in translations.items():
        DemandTranslation.objects.update_or_create(
            demand=demand, language=language,
            defaults={"title": title, "description": description},
        )  # fmt: skip


def _translations_snapshot(demand: Demand) -> dict[str, str]:
    return dict(demand.translations.order_by("language").values_list("language", "title"))


def demand_validate(data: DemandData, *, today: date) -> dict[str, object]:
    """M8.1, M8.4: every field checked, each refusal naming its field; the values to store."""
    title = check_text(data.title, field="title")
    description = check_text(data.description, field="description", multiline=True)
    industry = check_text(data.industry, field="industry")
    discipline = check_text(data.discipline, field="discipline")
    industry, discipline = demand_rules.check_codes(industry, discipline)
    low, high = demand_rules.check_budget(data.budget_min, data.budget_max)
    return {
        "title": demand_rules.check_required(title, field="title", maximum=demand_rules.TITLE_MAX),
        "description": demand_rules.check_required(
            description, field="description", maximum=demand_rules.DESCRIPTION_MAX
        ),
        "industry": industry,
        "discipline": discipline,
        "trl": demand_rules.check_trl(data.trl),
        "budget_min": low,
        "budget_max": high,
        "modes": demand_rules.check_modes(data.modes),
        "deadline": demand_rules.check_deadline(data.deadline, today),
        "country": demand_rules.check_country(check_text(data.country, field="country")),
        "language": demand_rules.check_language(data.language),
    }


def organisation_may_post(organisation: Organisation) -> bool:
    """Whether the organisation is verified by the center (the one place to ask it)."""
    return organisation.verified_at is not None


def _require_verified(organisation: Organisation) -> None:
    if not organisation_may_post(organisation):
        raise refuse(
            gettext_noop(
                "%(name)s is not verified by the center yet; a demand is posted once it is."
            ),
            "demand.unverified",
            "organisation",
            ("M8.1",),
            name=organisation.name,
        )


def _require_may_post(
    actor: User, organisation: Organisation, partner: Organisation | None
) -> None:
    """M8.1: the enterprise's own people post its demands; M8.4: a partner abroad's staff post
    them for an enterprise it referred or that agreed (:mod:`kttc.policy.partners`)."""
    if partner is None:
        require_capability(actor, Capability.POST_DEMANDS, organisation)
        return
    require_capability(actor, Capability.POST_DEMANDS_FOR_REFERRED, partner)
    _require_verified(partner)
    if not partners.represents(partner, organisation):
        raise refuse(
            gettext_noop(
                "%(partner)s may post demands only for an enterprise abroad it referred, or "
                "that agreed to it; %(name)s did neither."
            ),
            "demand.not_represented",
            "organisation",
            ("M8.4",),
            partner=partner.name,
            name=organisation.name,
        )


@decision
def demand_post(
    *,
    actor: User,
    organisation: Organisation,
    data: DemandData,
    partner: Organisation | None = None,
) -> Demand:
    """M8.1: a person of a verified enterprise posts a demand, with its translations; it waits
    for the center. M8.4: or a partner abroad's staff post it for the enterprise (``partner``):
    the demand is the enterprise's, the partner named as its poster."""
    _require_may_post(actor, organisation, partner)
    _require_verified(organisation)
    values = demand_validate(data, today=calendar.today_in_shanghai())
    translations = translations_validate(data, str(values["language"]))
    demand = Demand.objects.create(
        organisation=organisation, author=actor, posted_by=partner, **values
    )
    _translations_save(demand, translations)
    audit_record(
        actor=actor,
        organisation=organisation,
        action="demand.posted_on_behalf" if partner else "demand.posted",
        obj=demand,
        after={
            **model_snapshot(demand, (*FIELDS, "status")),
            "posted_by": partner.pk if partner else None,
            "translations": _translations_snapshot(demand),
        },
        clauses=("M8.1", "M8.4") if partner else ("M8.1",),
    )
    notices.tell_reviewers(demand)
    return demand


def _require_owner(actor: User, demand: Demand) -> None:
    """The enterprise's people, or the staff of the partner abroad that posted it (M8.4)."""
    if not is_owner(actor, demand):
        raise AccessDenied()


def _locked(demand: Demand) -> Demand:
    return Demand.objects.select_for_update().select_related("organisation").get(pk=demand.pk)


@decision
def demand_update(*, actor: User, demand: Demand, data: DemandData) -> Demand:
    """M8.1: the enterprise changes its demand while it waits for moderation."""
    demand = _locked(demand)
    _require_owner(actor, demand)
    if demand_rules.Status(demand.status) not in demand_rules.EDITABLE:
        raise refuse(
            gettext_noop("A demand is changed only while it waits for moderation."),
            "demand.not_editable",
            None,
            ("M8.1",),
        )
    values = demand_validate(data, today=calendar.today_in_shanghai())
    translations = translations_validate(data, str(values["language"]))
    before = {**model_snapshot(demand, FIELDS), "translations": _translations_snapshot(demand)}
    for name, value in values.items():
        setattr(demand, name, value)
    _translations_save(demand, translations)
    demand.save()
    audit_record(
        actor=actor,
        organisation=demand.organisation,
        action="demand.updated",
        obj=demand,
        before=before,
        after={**model_snapshot(demand, FIELDS), "translations": _translations_snapshot(demand)},
        clauses=("M8.1",),
    )
    return demand


@decision
def demand_translate(
    *, actor: User, demand: Demand, translations: list[DemandTranslationData]
) -> Demand:
    """M8.1, M8.4: the author gives (or corrects) the demand's translations at any time while
    it is not closed: readers in other languages read them; the original stays as posted."""
    demand = _locked(demand)
    _require_owner(actor, demand)
    if demand_rules.Status(demand.status) not in demand_rules.EDITABLE | demand_rules.ANSWERABLE:
        raise refuse(
            gettext_noop("A closed demand is no longer translated."),
            "demand.not_editable",
            None,
            ("M8.1",),
        )
    data = DemandData(title="", description="", deadline=demand.deadline,
                      translations=translations)  # fmt: skip
    found = translations_validate(data, demand.language)
    before = _translations_snapshot(demand)
    _translations_save(demand, found)
    demand.save(update_fields=["updated_at"])  # the matching reads the translations again
    audit_record(
        actor=actor,
        organisation=demand.organisation,
        action="demand.translated",
        obj=demand,
        before={"translations": before},
        after={"translations": _translations_snapshot(demand)},
        clauses=("M8.1", "M8.4"),
    )
    return demand


def _move(
    *, actor: User, demand: Demand, target: DemandStatus, who: demand_rules.Actor, reason: str = ""
) -> Demand:
    demand_rules.check_transition(
        demand_rules.Status(demand.status), demand_rules.Status(target), who
    )
    before = model_snapshot(demand, ("status",))
    demand.status = target
    demand.reason = reason
    now = timezone.now()
    if target == DemandStatus.PUBLISHED:
        demand.published_at = now
    elif target != DemandStatus.REJECTED:
        demand.closed_at = now
    demand.save()
    audit_record(
        actor=actor,
        organisation=demand.organisation,
        action=f"demand.{target.value}",
        obj=demand,
        before=before,
        after={
            "status": target.value,
            "reason": reason,
            "met_licence": demand.met_licence_id,
            "met_contract": demand.met_contract_id,
        },
        clauses=("M8.1",),
    )
    return demand


def _reason_required(reason: str) -> str:
    reason = check_text(reason, field="reason", multiline=True).strip()
    if not reason:
        raise refuse(
            gettext_noop("Say why, so the enterprise knows what to change."),
            "required",
            "reason",
            ("M8.1",),
        )
    return reason


@decision
def demand_publish(*, actor: User, demand: Demand) -> Demand:
    """M8.1: the center publishes a demand in the hall; the enterprise hears of it at once."""
    require_capability(actor, Capability.MODERATE_DEMANDS_ALL)
    demand = _move(
        actor=actor,
        demand=_locked(demand),
        target=DemandStatus.PUBLISHED,
        who=demand_rules.Actor.CENTER,
    )
    notices.tell_enterprise(
        notices.PUBLISHED, demand, "published", deadline=demand.deadline.isoformat()
    )
    return demand


@decision
def demand_reject(*, actor: User, demand: Demand, reason: str) -> Demand:
    """M8.1: the center rejects a demand saying why; the enterprise hears of it at once."""
    require_capability(actor, Capability.MODERATE_DEMANDS_ALL)
    reason = _reason_required(reason)
    demand = _move(
        actor=actor,
        demand=_locked(demand),
        target=DemandStatus.REJECTED,
        who=demand_rules.Actor.CENTER,
        reason=reason,
    )
    notices.tell_enterprise(notices.REJECTED, demand, "rejected", reason=reason)
    return demand


def licences_meeting(organisation: Organisation) -> list[Licence]:
    """The licences the enterprise holds: what may have met one of its demands."""
    return list(Licence.objects.filter(licensee=organisation).select_related("achievement", "unit"))


def contracts_meeting(organisation: Organisation) -> list[TechnologyContract]:
    """The technology contracts with the enterprise: over a licence it holds, or naming it as
    the counterparty."""
    return list(
        TechnologyContract.objects.filter(
            Q(licence__licensee=organisation) | Q(counterparty=organisation.name)
        ).select_related("unit")
    )


@decision
def demand_close(
    *,
    actor: User,
    demand: Demand,
    met: bool,
    licence: Licence | None = None,
    contract: TechnologyContract | None = None,
    reason: str = "",
) -> Demand:
    """M8.1, M8.4: the enterprise closes its demand: met (by one of its licences or contracts,
    or just met) or withdrawn."""
    demand = _locked(demand)
    _require_owner(actor, demand)
    reason = check_text(reason, field="reason", multiline=True).strip()
    if licence is not None and licence.pk not in {
        x.pk for x in licences_meeting(demand.organisation)
    }:
        raise refuse(
            gettext_noop("Choose a licence your enterprise holds."), "demand.licence", "licence"
        )
    if contract is not None and contract.pk not in {
        x.pk for x in contracts_meeting(demand.organisation)
    }:
        raise refuse(
            gettext_noop("Choose a contract of your enterprise."), "demand.contract", "contract"
        )
    if met:
        demand.met_licence, demand.met_contract = licence, contract
    target = DemandStatus.CLOSED_MET if met else DemandStatus.CLOSED
    return _move(
        actor=actor, demand=demand, target=target, who=demand_rules.Actor.AUTHOR, reason=reason
    )


@decision
def answer_create(
    *,
    actor: User,
    demand: Demand,
    organisation: Organisation,
    achievement: Achievement | None = None,
    proposal: str = "",
) -> DemandAnswer:
    """M8.1, M8.4: a unit's transfer office or a broker answers a published demand with one of
    the organisation's published results and/or a proposal; the enterprise hears of it at once."""
    require_capability(actor, Capability.ANSWER_DEMANDS, organisation)
    demand = _locked(demand)
    today = calendar.today_in_shanghai()
    if demand_rules.Status(demand.status) not in demand_rules.ANSWERABLE or demand.deadline < today:
        raise refuse(
            gettext_noop("This demand is no longer open to answers."),
            "demand.closed",
            None,
            ("M8.1",),
        )
    proposal = check_text(proposal, field="proposal", multiline=True).strip()
    if (
        achievement is not None
        and not public_achievements().filter(pk=achievement.pk, unit=organisation).exists()
    ):
        raise refuse(
            gettext_noop("Choose one of your unit's published results."),
            "demand.answer_result",
            "achievement",
        )
    if achievement is None and not proposal:
        raise refuse(
            gettext_noop("Offer one of your results or write a proposal."),
            "demand.answer_empty",
            "proposal",
        )
    answer = DemandAnswer.objects.create(
        demand=demand,
        organisation=organisation,
        author=actor,
        achievement=achievement,
        proposal=proposal,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action="demand.answered",
        obj=answer,
        after={"demand": demand.pk, "achievement": achievement.pk if achievement else None},
        clauses=("M8.1", "M8.4"),
    )
    notices.tell_enterprise(
        notices.ANSWERED, demand, f"answer-{answer.pk}", organisation=organisation.name
    )
    return answer


@decision
def answer_withdraw(*, actor: User, answer: DemandAnswer) -> DemandAnswer:
    """The person who answered takes the answer back."""
    answer = DemandAnswer.objects.select_for_update().get(pk=answer.pk)
    if answer.author_id != actor.pk:
        raise AccessDenied()
    if answer.withdrawn_at is None:
        answer.withdrawn_at = timezone.now()
        answer.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            organisation=answer.organisation,
            action="demand.answer_withdrawn",
            obj=answer,
            clauses=("M8.1",),
        )
    return answer
