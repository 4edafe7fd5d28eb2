"""The registry of notice kinds: each kind the platform sends today is registered with a label,
and a mandatory kind cannot be chosen off."""

from __future__ import annotations

import pytest
from django.utils import translation

from kttc.core.notifications import kinds as notice_kinds

#: Kinds sent today by the registry, the reform and the benefits parts.
SENT_TODAY = (
    "registry.achievement_submitted",
    "registry.achievement_published",
    "registry.achievement_returned",
    "registry.submission_due_soon",
    "registry.submission_overdue",
    "registry.project_transformation_due_soon",
    "reform.licence_application_received",
    "reform.licence_concluded",
    "reform.licence_application_declined",
    "reform.licence_revenue_reported",
    "reform.licence_payment_recorded",
    "reform.licence_breach_declared",
    "reform.licence_payment_due_soon",
    "reform.licence_payment_overdue",
    "reform.open_licensing_listed",
    "reform.justification_filed",
    "benefits.state_equity_waiting",
)


@pytest.mark.parametrize("kind", SENT_TODAY)
def test_every_kind_sent_today_is_registered_with_a_label(kind):
    found = notice_kinds.get_kind(kind)
    assert found is not None
    assert str(found.label) and str(found.label) != kind
    assert found.default == notice_kinds.IMMEDIATE


def test_deadlines_are_mandatory_and_cannot_be_off():
    due = notice_kinds.get_kind("reform.licence_payment_overdue")
    assert due is not None and due.mandatory
    assert notice_kinds.OFF not in due.choices
    published = notice_kinds.get_kind("registry.achievement_published")
    assert published is not None and not published.mandatory
    assert published.choices == notice_kinds.DELIVERIES


def test_labels_and_groups_follow_the_language():
    kind = notice_kinds.get_kind("reform.licence_concluded")
    assert kind is not None
    with translation.override("zh-hans"):
        assert str(kind.label) == "许可合同已订立"
        assert str(kind.group) == "许可与成果转化"
    assert notice_kinds.label_of("no.such_kind") == "no.such_kind"


def test_register_kind_refuses_a_bad_default():
    with pytest.raises(ValueError, match="default"):
        notice_kinds.register_kind("test.bad", "Bad", default="sometimes")
    with pytest.raises(ValueError, match="mandatory"):
        notice_kinds.register_kind("test.bad", "Bad", default="off", mandatory=True)
