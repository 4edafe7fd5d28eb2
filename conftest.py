"""Shared fixtures: one persona per role, and the append-only guard around transactional tests."""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
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
    Role.PARTNER: OrganisationKind.PARTNER_ABROAD,  # M8.4: a partner center in Laos
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


def no_script_font(script: str) -> str:
    """Why a PDF test of a script cannot run here: its Noto font file (or HarfBuzz) is missing."""
    from kttc.core import fonts

    return (
        f"No {script} font to shape in PDFs on this machine: install Debian's fonts-noto-core "
        f"(`apt-get install fonts-noto-core`, as .ci/run does; it has "
        f"{fonts.SCRIPT_FONT_CANDIDATES[script][0]}) and the uharfbuzz package (a dependency), "
        f"or name a .ttf for {script!r} in the KTTC_SCRIPT_FONTS setting."
    )


def script_font_or_skip(script: str) -> Any:
    """The font of a script (Thai, Lao, Burmese, Khmer) for a PDF test: the test is skipped, with
    the reason, on a machine without it; under CI (``CI=true``, where .ci/run installs the
    fonts) it fails instead."""
    from kttc.core import fonts

    font = fonts.script_font(script)
    if font is not None:
        return font
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(no_script_font(script) + " CI installs it, so it must be there.")
    pytest.skip(no_script_font(script))


def pdf_font_names(body: bytes) -> set[str]:
    """The fonts a PDF's pages use, by their PDF name without the subset tag (``NotoSansThai-
    Regular``, not ``AAAAAA+NotoSansThai-Regular``)."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(body)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


#: Letters a PDF draws before others that come first in the text, so that they are extracted
#: first: Burmese ေ and ြ, Khmer vowels with a part on the left, Khmer's subscript ro, and a Khmer
#: subscript under a letter drawn with its vowel (រង្វាន់ reads back រងា្វន់).
DRAWN_LEFT = set("\u1031\u103c\u1084\u17be\u17bf\u17c0\u17c1\u17c2\u17c3\u17c4\u17c5")
DRAWN_BEFORE = re.compile("[\u1031\u103c\u1084\u17be-\u17c5]|\u17d2\u179a|\u17d2.[\u17b6-\u17c5]")


def readable(text: str) -> str:
    """Text as it is compared with text extracted from a PDF: NFKC (a shaped Thai ำ reads back as
    its two glyphs ํ and า), without whitespace (spaces fall where glyphs are placed apart), the
    marks of each letter in one order (a PDF holds them in the order they are drawn), but for the
    vowels drawn on the left of their letter, which may come after the letter before it."""
    import unicodedata

    letters: list[str] = []
    for ch in unicodedata.normalize("NFKC", "".join(text.split())):
        if letters and unicodedata.category(ch).startswith("M") and ch not in DRAWN_LEFT:
            letters[-1] = letters[-1][0] + "".join(sorted(letters[-1][1:] + ch))
        else:
            letters.append(ch)
    return "".join(letters)


def words_read_back(language: str, text: str) -> list[str]:
    """The words of ``text`` in Thai, Lao, Burmese (syllables) or Khmer that a reader extracts
    from a PDF as they are written (:func:`readable`)."""
    from kttc.core import fonts, scripts

    cut = scripts.cutter(fonts.LANGUAGE_SCRIPTS[language])
    words = [w for chunk in text.split() for w in cut(chunk)]
    return [readable(w) for w in words if not DRAWN_BEFORE.search(w)]


def pdf_text(body: bytes) -> str:
    """The text a reader extracts from a PDF (pypdf), :func:`readable`."""
    from pypdf import PdfReader

    return readable("".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


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


def _abroad(role: Role) -> dict[str, str]:
    """A partner abroad is registered outside China, known by its country's register (M8.4)."""
    if role != Role.PARTNER:
        return {}
    return {"country": "LA", "credit_code": "", "registration_number": "01-PERSONA"}


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
            org = OrganisationFactory(kind=kind.value, **_abroad(role))
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


#: Tests that cannot depend on the database engine, marked ``engine_neutral``: `make test` runs
#: them in the SQLite suite only (the PostgreSQL one deselects them, see the Makefile). The policy
#: layer's tests touch no database (import-linter keeps Django out of ``kttc.policy``); the browser
#: tests check what the pages do, while the services under them (locks, transactions, money,
#: search) have their own tests, which run on both engines; the static checks read files and the
#: API's schema. The catalogue checks of ``kttc/core/tests/test_i18n.py`` carry the mark themselves.
ENGINE_NEUTRAL_PATHS = (
    "kttc/policy/tests/",
    "tests/browser/",
    "tests/test_dependencies.py",
    "tests/test_openapi.py",
    "tests/test_cjk_font_setup.py",
)
#: Of those, the IP pages' accessibility audits (axe-core at two widths, as four personas) run in
#: the PostgreSQL suite instead, marked ``on_postgresql`` as well, so that the two suites, side by
#: side, end closer together: the browser tests were over 40 % of the SQLite suite. (The other
#: audits, ``test_accessibility.py``, load the demo for each test, which takes 1.6 times as long
#: on PostgreSQL: moved, they would make it the slower suite.)
ON_POSTGRESQL = (
    "tests/browser/test_ip_protection.py::test_m11_the_ip_pages_have_no_serious_accessibility_",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path.relative_to(config.rootpath).as_posix()
        if path.startswith(ENGINE_NEUTRAL_PATHS):
            item.add_marker(pytest.mark.engine_neutral)
        if f"{path}::{item.name}".startswith(ON_POSTGRESQL):
            item.add_marker(pytest.mark.on_postgresql)


# Property tests check rules, not speed: no per-example deadline (the machine may be busy).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("kttc", deadline=None)
_hypothesis_settings.load_profile("kttc")


@pytest.fixture(scope="session")
def _search_index_folders(tmp_path_factory) -> Iterator[Path]:
    """A new folder for each test's index, under one temporary folder of the session."""
    base = tmp_path_factory.mktemp("indexes")
    return (base / str(number) for number in itertools.count())


@pytest.fixture(autouse=True)
def _private_search_index(settings, _search_index_folders):
    """Every test gets its own (lazily created) catalog index, never the developer's var/. Not
    in pytest's ``tmp_path``: making one for each of 10,000 tests takes tens of seconds."""
    folder = next(_search_index_folders)
    folder.mkdir()
    settings.KTTC_SEARCH_DIR = folder / "search"


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
