"""Jobs: long work started from a page, claimed once, its progress readable while it runs, and
removed by the sweep a week after it started."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from kttc.core import jobs
from kttc.core.models import Job
from kttc.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_job_is_claimed_once_and_only_its_owner_finds_it():
    owner, other = UserFactory(), UserFactory()
    job = jobs.create(owner=owner, kind="k", params={"ids": [1, 2]}, total=2)
    assert jobs.claim(job) and not jobs.claim(Job.objects.get(pk=job.pk))
    assert jobs.of(owner, job.pk, "k") == job
    for who, kind, key in ((other, "k", job.pk), (owner, "other", job.pk), (owner, "k", "x")):
        with pytest.raises(Http404):
            jobs.of(who, key, kind)


def test_progress_is_written_about_a_hundred_times_at_most():
    job = jobs.create(owner=UserFactory(), kind="k", params={}, total=1000)
    tick = jobs.progress(job)
    written = []
    for n in range(1, 1001):
        tick(n)
        stored = Job.objects.get(pk=job.pk).done
        if not written or written[-1] != stored:
            written.append(stored)
    assert written[-1] == 1000 and len(written) <= 101
    jobs.finish(job, {"done": 1000})
    job.refresh_from_db()
    assert job.finished and job.percent == 100 and job.finished_at is not None


def test_the_sweep_removes_jobs_older_than_a_week():
    owner = UserFactory()
    old = jobs.create(owner=owner, kind="k", params={}, total=1)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    recent = jobs.create(owner=owner, kind="k", params={}, total=1)
    call_command("sweep", "--no-mail", verbosity=0)
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
