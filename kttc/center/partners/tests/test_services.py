"""Partners abroad (M8.4): partnerships, referrals, consent, demands posted for an enterprise,
the cases a partner sees, and the audit chain of each."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.demands import selectors as demand_selectors
from kttc.center.demands import services as demand_services
from kttc.center.demands.tests.factories import demand_data
from kttc.center.partners import selectors, services
from kttc.center.partners.tests.factories import partner_abroad, referred
from kttc.core.accounts import services as accounts
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Invitation, Membership, Organisation
from kttc.core.tests.factories import UserFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import OrganisationKind, Role

pytestmark = pytest.mark.django_db


def lao_demand(**changes):
    values = {"title": "ເຄື່ອງອົບເຂົ້າ", "description": "ພວກເຮົາຕ້ອງການເຄື່ອງອົບເຂົ້າ",
              "country": "LA", "language": "lo"}  # fmt: skip
    values.update(changes)
    return demand_data(**values)


def test_m8_4_a_referral_waits_for_verification_marked_with_its_partner_and_is_audited(personas):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner, verify=False)
    assert enterprise.referred_by == partner.organisation
    assert (enterprise.country, enterprise.kind) == ("LA", OrganisationKind.ENTERPRISE)
    assert enterprise in accounts.verification_queue()
    entry = AuditEntry.objects.get(action="organisation.refer")
    assert entry.organisation_id == partner.organisation.pk and "M8.4" in entry.clauses
    assert entry.object_id == str(enterprise.pk)


def test_m8_4_a_partner_refers_only_enterprises_of_its_country_once(personas):
    partner = partner_abroad(personas)
    referred(personas, partner, number="LA-1")
    with pytest.raises(PolicyError) as refused:
        referred(personas, partner, number="LA-1")
    assert (refused.value.code, refused.value.field) == (
        "partner.referral_known", "registration_number",
    )  # fmt: skip
    # Someone who is not the partner's staff refers nothing.
    with pytest.raises(AccessDenied):
        accounts.organisation_refer(
            actor=personas.enterprise, partner=partner.organisation,
            referral=accounts.Referral("X", "", "LA-2", "x@lao.example"),
        )  # fmt: skip


def test_m8_4_the_referred_enterprise_s_first_person_joins_through_the_partner_s_invitation(
    personas,
):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner, verify=False)
    invitation = Invitation.objects.get(organisation=enterprise)
    membership = accounts.invitation_accept(
        invitation=invitation, full_name="Somphone", password="a-long-password-9"
    )
    assert (membership.organisation, membership.role) == (enterprise, Role.ENTERPRISE.value)
    # Only the first person: a second invitation by the partner cannot grant a role there.
    assert not Membership.objects.filter(organisation=enterprise, role=Role.PARTNER.value)


def test_m8_4_a_partner_posts_a_demand_for_its_referred_enterprise_which_sees_it_as_its_own(
    personas,
):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner)
    boss = UserFactory()
    Membership.objects.create(user=boss, organisation=enterprise, role=Role.ENTERPRISE.value)
    demand = demand_services.demand_post(
        actor=partner.staff,
        organisation=enterprise,
        partner=partner.organisation,
        data=lao_demand(
            translations=[
                demand_services.DemandTranslationData("en", "Rice dryer", "We need a rice dryer")
            ]
        ),
    )
    assert (demand.organisation, demand.posted_by, demand.status) == (
        enterprise, partner.organisation, "pending",
    )  # fmt: skip
    assert demand in demand_selectors.demands_of(boss)  # the enterprise's own
    assert demand in demand_selectors.demands_of(partner.staff)  # and its poster's
    assert demand_selectors.is_owner(boss, demand) and demand_selectors.is_owner(
        partner.staff, demand
    )
    assert demand in demand_selectors.moderation_queue()  # moderation as usual
    entry = AuditEntry.objects.get(action="demand.posted_on_behalf")
    assert entry.after["posted_by"] == partner.organisation.pk
    assert entry.after["translations"] == {"en": "Rice dryer"}
    assert set(entry.clauses) == {"M8.1", "M8.4"}


def test_m8_4_a_partner_cannot_post_for_an_enterprise_it_did_not_refer_unless_it_agreed(
    personas,
):
    partner = partner_abroad(personas)
    other = partner_abroad(personas, number="02-999", name="Luang Prabang Chamber")
    theirs = referred(personas, other, number="LA-OTHER")
    with pytest.raises(PolicyError) as refused:
        demand_services.demand_post(
            actor=partner.staff, organisation=theirs, partner=partner.organisation,
            data=lao_demand(),
        )  # fmt: skip
    assert (refused.value.code, refused.value.field) == ("demand.not_represented", "organisation")
    # The enterprise agrees: now the partner may post for it; withdrawn: no more.
    boss = UserFactory()
    Membership.objects.create(user=boss, organisation=theirs, role=Role.ENTERPRISE.value)
    services.consent_give(actor=boss, enterprise=theirs, partner=partner.organisation)
    assert theirs in selectors.enterprises_represented(partner.organisation)
    demand_services.demand_post(
        actor=partner.staff, organisation=theirs, partner=partner.organisation, data=lao_demand()
    )
    services.consent_withdraw(actor=boss, enterprise=theirs, partner=partner.organisation)
    assert theirs not in selectors.enterprises_represented(partner.organisation)
    with pytest.raises(PolicyError):
        demand_services.demand_post(
            actor=partner.staff, organisation=theirs, partner=partner.organisation,
            data=lao_demand(),
        )  # fmt: skip
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partner.consent_give", "partner.consent_withdraw"} <= actions


def test_m8_4_a_partner_never_posts_for_a_chinese_enterprise_nor_as_another_partner(personas):
    partner = partner_abroad(personas)
    chinese = personas.organisations[Role.ENTERPRISE]
    with pytest.raises(PolicyError) as refused:
        demand_services.demand_post(
            actor=partner.staff, organisation=chinese, partner=partner.organisation,
            data=lao_demand(),
        )  # fmt: skip
    assert refused.value.code == "demand.not_represented"
    other = partner_abroad(personas, number="02-999", name="Other")
    enterprise = referred(personas, other)
    with pytest.raises(AccessDenied):  # staff of one partner acting as another
        demand_services.demand_post(
            actor=partner.staff, organisation=enterprise, partner=other.organisation,
            data=lao_demand(),
        )  # fmt: skip


def test_m8_4_an_unverified_referred_enterprise_gets_no_demand_yet(personas):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner, verify=False)
    with pytest.raises(PolicyError) as refused:
        demand_services.demand_post(
            actor=partner.staff, organisation=enterprise, partner=partner.organisation,
            data=lao_demand(),
        )  # fmt: skip
    assert refused.value.code == "demand.unverified"


def test_m8_4_a_partner_sees_its_own_cases_only(personas):
    partner = partner_abroad(personas)
    other = partner_abroad(personas, number="02-999", name="Other")
    mine = referred(personas, partner, number="LA-MINE")
    theirs = referred(personas, other, number="LA-THEIRS")
    demand_services.demand_post(
        actor=partner.staff, organisation=mine, partner=partner.organisation, data=lao_demand()
    )
    cases = selectors.cases_of(partner.organisation)
    assert [c.enterprise for c in cases] == [mine] and cases[0].referred
    assert len(cases[0].demands) == 1
    assert theirs not in [c.enterprise for c in cases]
    assert list(selectors.partners_of(partner.staff)) == [partner.organisation]
    assert not selectors.may_see_cases(partner.staff, other.organisation)


def test_m8_4_the_bureau_records_a_partnership_audited_and_refuses_a_chinese_or_future_one(
    personas,
):
    partner = partner_abroad(personas)
    found = services.partnership_record(
        actor=personas.bureau,
        partner=partner.organisation,
        data=services.PartnershipData("university", dt.date(2024, 1, 5), "joint labs", "active"),
    )
    assert (found.partner_type, found.agreement_date) == ("university", dt.date(2024, 1, 5))
    entry = AuditEntry.objects.filter(action="partner.partnership_record").order_by("-seq").first()
    assert entry.before["partner_type"] == "transfer_center"
    with pytest.raises(PolicyError) as refused:
        services.partnership_record(
            actor=personas.bureau, partner=partner.organisation,
            data=services.PartnershipData("university", dt.date(2999, 1, 1)),
        )  # fmt: skip
    assert refused.value.field == "agreement_date"
    with pytest.raises(PolicyError) as refused:
        services.partnership_record(
            actor=personas.bureau, partner=personas.organisations[Role.ENTERPRISE],
            data=services.PartnershipData("university", dt.date(2024, 1, 1)),
        )  # fmt: skip
    assert refused.value.code == "partner.kind"
    with pytest.raises(AccessDenied):
        services.partnership_record(
            actor=partner.staff, partner=partner.organisation,
            data=services.PartnershipData("university", dt.date(2024, 1, 1)),
        )  # fmt: skip


def test_m8_4_a_partner_abroad_signs_up_abroad_only(db):
    form = accounts.SignUp(
        name="Bangkok TTC", name_en="", kind="partner_abroad", country="CN",
        credit_code="", registration_number="", full_name="A", email="a@b.example",
        password="x-long-password-1", language="th",
    )  # fmt: skip
    with pytest.raises(PolicyError):
        accounts.sign_up(form)
    result = accounts.sign_up(
        accounts.SignUp(**{**form.__dict__, "country": "TH", "registration_number": "0105"})
    )
    assert result.organisation is not None
    assert Organisation.objects.get(pk=result.organisation.pk).kind == "partner_abroad"
    assert Membership.objects.get(organisation=result.organisation).role == Role.PARTNER.value
