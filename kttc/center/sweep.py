"""The center's part of ``kttc sweep`` (found by this name, see ``kttc.core.parts``): demands
past their deadline leave the demand hall (M8.1, :mod:`kttc.center.demands.sweep`), then each
person hears of what is new for their saved searches and followed fields (M8.2, M8.3,
:mod:`kttc.center.alerts.sweep`)."""

from __future__ import annotations

from datetime import date

from kttc.center.alerts import sweep as alerts_sweep
from kttc.center.demands import sweep as demands_sweep


def run(today: date) -> dict[str, int]:
    """M8.1-M8.3: each mechanism's sweep, its counts side by side."""
    return {**demands_sweep.run(today), **alerts_sweep.run(today)}
