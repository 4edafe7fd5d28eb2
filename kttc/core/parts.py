"""The parts' own modules, found by name: ``kttc.<part>.sweep``, ``kttc.<part>.deadlines`` …

The core may not import the parts (import-linter keeps the arrows pointing one way), yet it runs
their sweeps and lists their deadlines: each part offers a module of a known name and the core
finds it at run time, as ``kttc demo`` finds each part's ``demo.py`` (and Django finds each app's
``admin.py``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def part_modules(name: str) -> list[tuple[str, ModuleType]]:
    """(app label, module) of every KTTC app but the core that has a module ``name``, in the
    order of INSTALLED_APPS. A module that exists but fails to import raises."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("kttc.") or app.name == "kttc.core":
            continue
        if module_has_submodule(app.module, name):
            found.append((app.label, importlib.import_module(f"{app.name}.{name}")))
    return found
