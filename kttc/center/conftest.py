"""Fixtures every package of the center shares."""

from __future__ import annotations

import pytest

from kttc.center.tests.factories import published_achievement


@pytest.fixture
def publish(personas, django_capture_on_commit_callbacks):
    """``publish(**changes)``: a public result as the catalog shows it (see
    :func:`kttc.center.tests.factories.published_achievement`)."""

    def make(**changes):
        return published_achievement(personas, django_capture_on_commit_callbacks, **changes)

    return make
