"""Browser fixtures: Debian's Chromium driven through Playwright's sync API.

Playwright's sync API keeps an asyncio event loop running in the test thread; Django refuses ORM
calls from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The variable is
set here, when this conftest is imported, before any fixture or test runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
#: A browser from Kunming: the page asks for Simplified Chinese, the platform's default language.
BROWSER_LOCALE = "zh-CN"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Browser tests need Debian's Chromium on PATH (`chromium`); it is not there.")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    """One headless Chromium for the whole session (Playwright cannot download browsers here)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh context (no cookies, no session) and one page in it, per test."""
    context = browser.new_context(locale=BROWSER_LOCALE, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the repository root (gitignored): full-page screenshots go there."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
