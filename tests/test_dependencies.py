"""The declared lower bounds of the dependencies exclude releases with known security
advisories (Django's 5.2 security releases up to 5.2.19), and what is installed meets them."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _floors() -> dict[str, tuple[int, ...]]:
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    floors = {}
    for spec in declared:
        match = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([0-9.]+)", spec)
        if match:
            floors[match[1].lower()] = tuple(int(p) for p in match[2].split("."))
    return floors


def _installed(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version(name))[:3])


def test_django_is_at_least_the_release_with_every_known_fix():
    floors = _floors()
    assert floors["django"] >= (5, 2, 19)
    assert floors["django-ninja"] >= (1, 7, 1) and floors["openpyxl"] >= (3, 1, 5)


def test_the_installed_packages_meet_the_declared_floors():
    for name, floor in _floors().items():
        assert _installed(name) >= floor, name
