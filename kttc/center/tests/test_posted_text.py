"""A note posted beside the promotion button refuses control characters, naming the field."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kttc.center.models import PromotionEntry
from kttc.policy.roles import Role
from kttc.registry import services
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement


def test_a_promotion_note_with_an_override_is_refused_naming_the_field(
    client, personas, django_capture_on_commit_callbacks
):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    data = validate_achievement(achievement_raw(), today=dt.date(2026, 11, 25))
    with django_capture_on_commit_callbacks(execute=True):
        a = services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
        services.achievement_submit(actor=personas.transfer_office, achievement=a)
        services.achievement_publish(actor=personas.bureau, achievement=a)
    client.force_login(personas.bureau)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("catalog:promote", args=[a.pk]), {"note": "推荐\u202e"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Note:") and "U+202E" in m for m in messages), messages
    assert not PromotionEntry.objects.exists()
    client.post(reverse("catalog:promote", args=[a.pk]), {"note": "推荐"})
    assert PromotionEntry.objects.get().note == "推荐"
