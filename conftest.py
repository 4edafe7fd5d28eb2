"""Shared fixtures: one persona per role, and the append-only guard around transactional tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from kttc.policy.roles import OrganisationKind, Role

PERSONA_ORGANISATION = {
    Role.RESEARCHER: OrganisationKind.UNIVERSITY,
    Role.TRANSFER_OFFICE: OrganisationKind.UNIVERSITY,
    Role.ENTERPRISE: OrganisationKind.ENTERPRISE,
    Role.SERVICE_BROKER: OrganisationKind.SERVICE_INSTITUTION,
    Role.BUREAU: OrganisationKind.GOVERNMENT_DEPARTMENT,
    Role.INVESTMENT_PLATFORM: OrganisationKind.INVESTMENT_PLATFORM,
    Role.FINANCIAL_INSTITUTION: OrganisationKind.FINANCIAL_INSTITUTION,
    Role.AUDITOR: OrganisationKind.GOVERNMENT_DEPARTMENT,
}
PASSWORD = "correct-horse-battery"  # noqa: S105 — test personas only

NO_CJK_FONT = (
    "No CJK TrueType font to embed in PDFs on this machine: install Debian's fonts-wqy-microhei "
    "(`apt-get install fonts-wqy-microhei`, as .ci/run does) or name a .ttf/.ttc in KTTC_CJK_FONT."
)


def embedded_cjk_font_or_skip(font: Any) -> None:
    """A PDF test that checks the embedded CJK font: skipped, with the reason, on a machine
    without one; under CI (``CI=true``, where .ci/run installs the font) it fails instead."""
    if font.embedded:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(NO_CJK_FONT + " CI installs it, so it must be there.")
    pytest.skip(NO_CJK_FONT)


@dataclass
class Personas:
    """One person per role; the researcher and the transfer office share one university."""

    by_role: dict[Role, object]
    organisations: dict[Role, object]

    def __getattr__(self, name: str) -> object:
        try:
            return self.by_role[Role(name)]
        except (KeyError, ValueError):
            raise AttributeError(name) from None


@pytest.fixture
def personas(db) -> Personas:
    from kttc.core.models import Membership
    from kttc.core.tests.factories import OrganisationFactory, UserFactory

    university = OrganisationFactory(
        kind=OrganisationKind.UNIVERSITY.value,
        name="春城测试大学",
        name_en="Chuncheng Test University",
    )
    bureau = OrganisationFactory(
        kind=OrganisationKind.GOVERNMENT_DEPARTMENT.value,
        name="测试科技局",
        name_en="Test S&T Bureau",
    )
    by_role, organisations = {}, {}
    for role, kind in PERSONA_ORGANISATION.items():
        if role in (Role.RESEARCHER, Role.TRANSFER_OFFICE):
            org = university
        elif role == Role.BUREAU:
            org = bureau
        else:
            org = OrganisationFactory(kind=kind.value)
        user = UserFactory(
            email=f"{role.value}@test.kttc.example", full_name=f"{role.value} persona"
        )
        Membership.objects.create(user=user, organisation=org, role=role.value)
        by_role[role], organisations[role] = user, org
    return Personas(by_role, organisations)


@pytest.fixture(autouse=True)
def _append_only_guard(request):
    """Transactional tests end with a flush of every table, which the append-only triggers
    refuse; lift them for the flush and put them back for the next test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        yield
        return
    from django.db import connection

    from kttc.core import protection

    request.getfixturevalue("transactional_db")
    protection.install(connection)
    _seed_measures()
    yield
    protection.remove(connection)


def _seed_measures() -> None:
    import importlib

    migration = importlib.import_module("kttc.core.migrations.0002_protection_and_measures")
    from django.apps import apps

    migration.seed_measures(apps, None)


# Property tests check rules, not speed: no per-example deadline (the machine may be busy).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("kttc", deadline=None)
_hypothesis_settings.load_profile("kttc")


@pytest.fixture(autouse=True)
def _private_search_index(settings, tmp_path):
    """Every test gets its own (lazily created) catalog index, never the developer's var/."""
    settings.KTTC_SEARCH_DIR = tmp_path / "search"


@pytest.fixture(autouse=True)
def _every_audited_action_has_a_label(monkeypatch):
    """Readers of the audit record see what each decision was (its label), never a bare code:
    a test whose decision records an action without a label in ``AUDIT_ACTION_LABELS`` fails
    (the chain's own tests record made-up ``test.*`` actions)."""
    from kttc.core import services
    from kttc.core.choices import AUDIT_ACTION_LABELS

    unlabelled: set[str] = set()
    original = services._Chain.next

    def next_entry(chain: Any, decision: Any) -> Any:
        if decision.action not in AUDIT_ACTION_LABELS and not decision.action.startswith("test."):
            unlabelled.add(decision.action)
        return original(chain, decision)

    monkeypatch.setattr(services._Chain, "next", next_entry)
    yield
    assert not unlabelled, (
        f"audit actions without a label in kttc.core.choices.AUDIT_ACTION_LABELS: "
        f"{sorted(unlabelled)}"
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request of an earlier test (a page read in
    Vietnamese, say) leaves its language active in the thread."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
