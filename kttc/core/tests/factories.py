"""Factories for the core's tables; organisations get valid credit codes."""

from __future__ import annotations

import factory

from kttc.core.models import Membership, Organisation, User
from kttc.policy.identifiers import make_uscc, organisation_code_check_char
from kttc.policy.roles import OrganisationKind


def credit_code(n: int) -> str:
    body8 = f"T{n:07d}"
    return make_uscc("12530100" + body8 + organisation_code_check_char(body8))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@test.kttc.example")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    name_en = factory.Sequence(lambda n: f"Test unit {n}")
    kind = OrganisationKind.UNIVERSITY.value
    is_municipal = True
    credit_code = factory.Sequence(credit_code)
    verified_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "researcher"
