"""Threads for the inquiries' tests."""

from __future__ import annotations

from typing import Any

from kttc.center.inquiries import services
from kttc.center.inquiries.models import Inquiry
from kttc.core.models import Membership, User
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.roles import OrganisationKind, Role


def thread(personas: Any, achievement: Any, **changes: Any) -> Inquiry:
    """The persona enterprise asks a question on ``achievement``."""
    values: dict[str, Any] = {
        "kind": "question",
        "subject": "试用条件",
        "text": "请问能否先小批量试用？",
    }
    values.update(changes)
    return services.inquiry_open(
        actor=personas.enterprise,
        achievement=achievement,
        asker=personas.organisations[Role.ENTERPRISE],
        **values,
    )


def other_enterprise_person(email: str = "other@test.kttc.example") -> User:
    """A person of another enterprise (a stranger to the persona enterprise's threads)."""
    org = OrganisationFactory(kind=OrganisationKind.ENTERPRISE.value)
    user = UserFactory(email=email, full_name="other enterprise")
    Membership.objects.create(user=user, organisation=org, role=Role.ENTERPRISE.value)
    return user
