"""The demo's questions on results load once, through the services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kttc.center.inquiries.models import Inquiry, InquiryMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_answered_question_and_a_waiting_interest():
    call_command("demo", stdout=io.StringIO())
    assert sorted(Inquiry.objects.values_list("kind", flat=True)) == ["interest", "question"]
    assert InquiryMessage.objects.filter(side="unit").count() == 1
    call_command("demo", stdout=io.StringIO())
    assert Inquiry.objects.count() == 2
