"""``kttc demo``: load the demo organisations, personas and decisions, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kttc.core.demo import DEMO_PASSWORD, OPERATOR_EMAIL, PERSONAS, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data (organisations, one persona per role, audited decisions) once."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        organisations = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(organisations)} demo organisations."))
        self.stdout.write(f"Sign in with password {DEMO_PASSWORD!r} as:")
        self.stdout.write(f"  {OPERATOR_EMAIL:<34} operator (Django admin)")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email:<34} {persona.role.value}")
