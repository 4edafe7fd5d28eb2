"""A reason or an answer posted beside a button, without a form, refuses control characters
like a form's field, naming it; nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.reform.empowerment.models import EmpowermentApplication
from kttc.reform.tests.factories import APPLIED, apply

pytestmark = pytest.mark.django_db


def test_a_rejection_reason_with_a_control_character_is_refused_naming_the_field(
    client, personas, rules, result, travel
):
    application = apply(personas, result)
    travel(APPLIED)
    client.force_login(personas.transfer_office)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("reform:reject", args=[application.pk]), {"reason": "材料不全\x1b[2J"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Reason:") and "U+001B" in m for m in messages), messages
    assert EmpowermentApplication.objects.get().status == application.status
    response = client.post(
        reverse("reform:reject", args=[application.pk]), {"reason": "材料不全。\n请补充。"}
    )
    assert EmpowermentApplication.objects.get().status == "rejected"
