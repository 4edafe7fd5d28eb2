"""The registry's part of ``kttc sweep`` (found by this name, see ``kttc.core.parts``): results
due and overdue (M8.6, :mod:`kttc.registry.achievements.sweep`) and projects' transformation
deadlines (M4.1, M4.2, :mod:`kttc.registry.projects.sweep`)."""

from __future__ import annotations

from datetime import date

from kttc.registry.achievements import sweep as achievements_sweep
from kttc.registry.projects import sweep as projects_sweep


def run(today: date) -> dict[str, int]:
    """M8.6, M4.1, M4.2: each mechanism's sweep, its counts side by side."""
    return {**achievements_sweep.run(today), **projects_sweep.run(today)}
