"""``kttc demo``: load the demo organisations, personas and decisions, once; then each part's
own demo data (``kttc.<part>.demo.load_demo``), in the order of INSTALLED_APPS."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from kttc.core import integrity
from kttc.core.demo import DEMO_PASSWORD, OPERATOR_EMAIL, PERSONAS, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data (organisations, one persona per role, audited decisions) once."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Demo data already loaded; nothing to do.")
            self._load_parts()
            return
        organisations = load_demo()
        self._load_parts()
        # The public checkpoint page (M14.1) shows the demo chain's head from the start.
        integrity.checkpoint_record()
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(organisations)} demo organisations."))
        self.stdout.write(f"Sign in with password {DEMO_PASSWORD!r} as:")
        self.stdout.write(f"  {OPERATOR_EMAIL:<34} operator (Django admin)")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email:<34} {persona.role.value}")

    def _load_parts(self) -> None:
        """Each part's demo once: a database demoed before a part existed gets it later."""
        for app in apps.get_app_configs():
            if not app.name.startswith("kttc.") or app.name == "kttc.core":
                continue
            try:
                module = importlib.import_module(f"{app.name}.demo")
            except ModuleNotFoundError:
                continue
            if module.demo_loaded():
                continue
            module.load_demo()
            self.stdout.write(f"Loaded the demo data of {app.label}.")
