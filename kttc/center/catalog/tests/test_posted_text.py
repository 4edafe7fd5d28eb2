"""A note posted beside the promotion button refuses control characters, naming the field."""

from __future__ import annotations

from django.urls import reverse

from kttc.center.catalog.models import PromotionEntry


def test_a_promotion_note_with_an_override_is_refused_naming_the_field(client, personas, publish):
    a = publish()
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
