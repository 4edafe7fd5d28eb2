"""M3.2, M3.3: the sweep and the deadlines page find the instalments not covered by the payments
in SQL (:func:`kttc.reform.licensing.selectors.uncovered`); the licence page says the same in
Python (:func:`kttc.policy.licensing.instalment_states`). On random schedules and payments, in
whole fen, the two agree exactly on both databases: no slack for SQLite's float arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kttc.policy import licensing as licensing_rules
from kttc.reform.licensing.selectors import uncovered
from kttc.reform.licensing.tests.test_services import (  # noqa: F401 — fixtures
    enterprise,
    licence,
    published,
)
from kttc.reform.models import Licence, LicenceInstalment, LicencePayment

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 6, 15)
days = st.integers(min_value=-60, max_value=60).map(lambda n: TODAY + dt.timedelta(days=n))
#: Amounts in fen, small ones among them: 0.10 + 0.20 is not 0.30 in floating point.
fen = st.one_of(st.integers(1, 99), st.integers(1, 10**12), st.sampled_from([10, 20, 30, 70]))
instalments = st.lists(st.tuples(fen, st.none() | days), min_size=1, max_size=8)
payments = st.lists(st.tuples(fen, days), max_size=8)


def _money(amount: int) -> Decimal:
    return Decimal(amount) / 100


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(schedule=instalments, paid=payments)
@example(  # 0.10 + 0.20 == 0.30 exactly, not in floating point
    schedule=[(10, TODAY - dt.timedelta(days=2)), (20, TODAY - dt.timedelta(days=1))],
    paid=[(30, TODAY - dt.timedelta(days=3))],
)
@example(
    schedule=[(70, TODAY - dt.timedelta(days=1)), (20, TODAY)], paid=[(20, TODAY), (70, TODAY)]
)
def test_m3_3_sql_and_policy_agree_on_what_is_not_covered(licence, schedule, paid):  # noqa: F811
    copy = Licence.objects.get(pk=licence.pk)
    copy.pk, copy.application = None, None
    copy.save(force_insert=True)
    LicenceInstalment.objects.bulk_create(
        LicenceInstalment(licence=copy, number=n, amount=_money(a), trigger="date", due=due)
        for n, (a, due) in enumerate(schedule, start=1)
    )
    LicencePayment.objects.bulk_create(
        LicencePayment(
            licence=copy, amount=_money(a), paid_on=day, recorded_by=licence.concluded_by
        )
        for a, day in paid
    )
    in_sql = set(
        uncovered(LicenceInstalment.objects.filter(licence=copy, due__isnull=False), TODAY)
        .values_list("number", flat=True)
    )
    states = licensing_rules.instalment_states(
        [
            licensing_rules.Instalment(n, _money(a), licensing_rules.Trigger.DATE, due)
            for n, (a, due) in enumerate(schedule, start=1)
        ],
        [_money(a) for a, day in paid if day <= TODAY],
        TODAY,
    )
    in_policy = {
        n
        for n, state in states.items()
        if state not in (licensing_rules.State.PAID, licensing_rules.State.WAITING)
    }
    assert in_sql == in_policy
