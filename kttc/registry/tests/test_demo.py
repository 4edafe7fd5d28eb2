"""The registry's demo data joins a database whose core demo was loaded before."""

from __future__ import annotations

import io

from django.core.management import call_command

from kttc.core.demo import load_demo as load_core_demo
from kttc.registry.demo import demo_loaded
from kttc.registry.models import Achievement


def test_a_part_added_later_gets_its_demo_on_the_next_run(db):
    load_core_demo()
    assert not demo_loaded()
    call_command("demo", stdout=io.StringIO())
    assert demo_loaded()
    assert Achievement.objects.filter(submission_due__isnull=False).count() == 2
    call_command("demo", stdout=io.StringIO())
    assert Achievement.objects.filter(external_ref="DEMO-001").count() == 1
