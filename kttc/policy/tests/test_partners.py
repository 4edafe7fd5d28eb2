"""Partners abroad (M8.4) and demands in every language (M8.1, M8.4), without a database."""

from __future__ import annotations

import pytest

from kttc.policy import demands as demand_rules
from kttc.policy import partners as rules
from kttc.policy.errors import PolicyError
from kttc.policy.roles import (
    CAPABILITIES,
    Capability,
    OrganisationKind,
    Role,
    role_allowed_in,
    role_can,
)


def test_m8_4_a_partner_posts_only_for_an_enterprise_abroad_it_referred_or_that_agreed() -> None:
    assert rules.may_post_for(
        enterprise_abroad=True, referred_by_partner=True, agreed=False, verified=True
    )
    assert rules.may_post_for(
        enterprise_abroad=True, referred_by_partner=False, agreed=True, verified=True
    )
    # neither referred nor agreed; not verified; a Chinese enterprise: refused
    assert not rules.may_post_for(
        enterprise_abroad=True, referred_by_partner=False, agreed=False, verified=True
    )
    assert not rules.may_post_for(
        enterprise_abroad=True, referred_by_partner=True, agreed=True, verified=False
    )
    assert not rules.may_post_for(
        enterprise_abroad=False, referred_by_partner=True, agreed=True, verified=True
    )


def test_m8_4_a_partner_refers_enterprises_of_its_own_country_abroad_only() -> None:
    assert rules.check_referral_country("LA", "LA") == "LA"
    with pytest.raises(PolicyError) as refused:
        rules.check_referral_country("LA", "VN")
    assert (refused.value.code, refused.value.field) == ("partner.referral_country", "country")
    assert "M8.4" in refused.value.clauses
    with pytest.raises(PolicyError) as refused:
        rules.check_referral_country("CN", "CN")
    assert refused.value.code == "partner.not_abroad"


def test_m8_4_the_partner_role_is_held_in_a_partner_abroad_only_and_acts_for_its_cases() -> None:
    assert role_allowed_in(Role.PARTNER, OrganisationKind.PARTNER_ABROAD)
    assert not role_allowed_in(Role.PARTNER, OrganisationKind.ENTERPRISE)
    assert not role_allowed_in(Role.ENTERPRISE, OrganisationKind.PARTNER_ABROAD)
    for capability in (
        Capability.REFER_ENTERPRISES,
        Capability.POST_DEMANDS_FOR_REFERRED,
        Capability.VIEW_REFERRED_CASES,
    ):
        assert role_can(Role.PARTNER, capability)
    # A partner never posts as an enterprise, nor moderates, nor records partnerships.
    assert not role_can(Role.PARTNER, Capability.POST_DEMANDS)
    assert not role_can(Role.PARTNER, Capability.MODERATE_DEMANDS_ALL)
    assert Capability.MANAGE_PARTNERSHIPS_ALL in CAPABILITIES[Role.BUREAU]


def test_m8_1_a_demand_translation_is_into_another_language_with_title_and_description() -> None:
    assert demand_rules.check_translation("en", " Rice ", " Drying ", original="lo") == (
        "Rice",
        "Drying",
    )
    with pytest.raises(PolicyError) as refused:
        demand_rules.check_translation("lo", "t", "d", original="lo")
    assert refused.value.code == "demand.translation_language"
    with pytest.raises(PolicyError) as refused:
        demand_rules.check_translation("xx", "t", "d", original="lo")
    assert refused.value.code == "demand.translation_language"
    with pytest.raises(PolicyError) as refused:
        demand_rules.check_translation("en", "Rice", "  ", original="lo")
    assert refused.value.field == "description_en"
    with pytest.raises(PolicyError) as refused:
        demand_rules.check_translation("vi", "x" * 201, "d", original="lo")
    assert (refused.value.code, refused.value.field) == ("demand.too_long", "title_vi")
