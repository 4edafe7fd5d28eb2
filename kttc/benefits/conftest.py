"""Fixtures of the benefits part: the transfer office's university and a result of it."""

from __future__ import annotations

import pytest

from kttc.policy.roles import Role


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]
