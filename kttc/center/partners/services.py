"""Writes of partners abroad (M8.4): the center records its partnership with a partner (type,
agreement date, scope, status); an enterprise agrees, or stops agreeing, that a partner posts
its demands. The referral of an enterprise is the core's
(``kttc.core.accounts.services.organisation_refer``: it registers an organisation), and posting a
demand for an enterprise is the demands' (``demand_post(partner=…)``). Each is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from kttc.center.partners.choices import PartnershipStatus, PartnerType
from kttc.center.partners.models import PartnerConsent, Partnership
from kttc.core.models import Organisation, User
from kttc.core.services import audit_record, decision, model_snapshot, require_capability
from kttc.policy import calendar
from kttc.policy import partners as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, OrganisationKind
from kttc.policy.text import check_text

FIELDS = ("partner_type", "agreement_date", "scope", "status")


@dataclass(frozen=True)
class PartnershipData:
    partner_type: str
    agreement_date: date
    scope: str = ""
    status: str = PartnershipStatus.ACTIVE


def _validate(data: PartnershipData, today: date) -> dict[str, object]:
    if data.partner_type not in PartnerType.values:
        raise refuse(
            gettext_noop("Choose the type of partner."), "partner.type", "partner_type",
            rules.CLAUSES,
        )  # fmt: skip
    if data.status not in PartnershipStatus.values:
        raise refuse(
            gettext_noop("Choose the status of the partnership."), "partner.status", "status",
            rules.CLAUSES,
        )  # fmt: skip
    if data.agreement_date > today:
        raise refuse(
            gettext_noop("An agreement is recorded once signed: %(date)s is after today."),
            "partner.agreement_future",
            "agreement_date",
            rules.CLAUSES,
            date=data.agreement_date.isoformat(),
        )
    return {
        "partner_type": data.partner_type,
        "agreement_date": data.agreement_date,
        "scope": check_text(data.scope, field="scope", multiline=True).strip(),
        "status": data.status,
    }


@decision
def partnership_record(*, actor: User, partner: Organisation, data: PartnershipData) -> Partnership:
    """M8.4: the center records (or corrects) its partnership with a partner organisation
    abroad: the partner's type, the agreement's date, its scope and status."""
    require_capability(actor, Capability.MANAGE_PARTNERSHIPS_ALL)
    partner = Organisation.objects.select_for_update().get(pk=partner.pk)
    if partner.kind != OrganisationKind.PARTNER_ABROAD:
        raise refuse(
            gettext_noop("%(name)s is not registered as a partner organisation abroad."),
            "partner.kind",
            "partner",
            rules.CLAUSES,
            name=partner.name,
        )
    rules.check_abroad(partner.country)
    values = _validate(data, calendar.today_in_shanghai())
    found = Partnership.objects.filter(partner=partner).first()
    before = model_snapshot(found, FIELDS) if found else {}
    if found is None:
        found = Partnership(partner=partner, recorded_by=actor, **values)
    else:
        for name, value in values.items():
            setattr(found, name, value)
        found.recorded_by = actor
    found.save()
    audit_record(
        actor=actor,
        organisation=partner,
        action="partner.partnership_record",
        obj=found,
        before=before,
        after=model_snapshot(found, FIELDS),
        clauses=rules.CLAUSES,
    )
    return found


@decision
def consent_give(*, actor: User, enterprise: Organisation, partner: Organisation) -> PartnerConsent:
    """M8.4: a person of an enterprise abroad agrees that ``partner`` (of its country, in an
    active partnership with the center) posts its technology demands."""
    require_capability(actor, Capability.POST_DEMANDS, enterprise)
    from kttc.center.partners.selectors import partners_to_agree

    if partner.pk not in {p.pk for p, _agreed in partners_to_agree(enterprise)}:
        raise refuse(
            gettext_noop("Choose a partner of the center in your country."),
            "partner.consent_partner",
            "partner",
            rules.CLAUSES,
        )
    found = PartnerConsent.objects.filter(
        enterprise=enterprise, partner=partner, withdrawn_at__isnull=True
    ).first()
    if found is not None:
        return found
    consent = PartnerConsent.objects.create(enterprise=enterprise, partner=partner, agreed_by=actor)
    audit_record(
        actor=actor,
        organisation=enterprise,
        action="partner.consent_give",
        obj=consent,
        after={"enterprise": enterprise.pk, "partner": partner.pk},
        clauses=rules.CLAUSES,
    )
    return consent


@decision
def consent_withdraw(
    *, actor: User, enterprise: Organisation, partner: Organisation
) -> PartnerConsent | None:
    """The enterprise stops agreeing: the partner posts no more demands for it (those posted
    stay the enterprise's)."""
    require_capability(actor, Capability.POST_DEMANDS, enterprise)
    found = (
        PartnerConsent.objects.select_for_update()
        .filter(enterprise=enterprise, partner=partner, withdrawn_at__isnull=True)
        .first()
    )
    if found is None:
        return None
    found.withdrawn_at = timezone.now()
    found.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        organisation=enterprise,
        action="partner.consent_withdraw",
        obj=found,
        before={"withdrawn_at": None},
        after={"withdrawn_at": found.withdrawn_at.isoformat()},
        clauses=rules.CLAUSES,
    )
    return found
