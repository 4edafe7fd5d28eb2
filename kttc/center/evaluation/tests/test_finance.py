"""M10.1 with M12.1: an enterprise's own result, evaluated at its request and signed, is attached
to its pledge-loan application; the bank it applied to reads the evaluation and downloads the
report; another bank, or an investor, does not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.center.evaluation import selectors, services
from kttc.center.evaluation.tests.factories import ON, scores, setting
from kttc.center.finance.tests.factories import applied, enterprise_result, product
from kttc.core.models import Membership
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.roles import OrganisationKind, Role

pytestmark = pytest.mark.django_db


def test_m12_1_the_bank_of_a_pledge_loan_reads_the_attached_evaluation(client, personas, publish):
    s = setting(personas, publish)
    result = enterprise_result(personas)
    enterprise = personas.organisations[Role.ENTERPRISE]
    evaluation = services.evaluation_request(
        actor=personas.enterprise, requester=enterprise, result=result,
        institution=s.institution, purpose="质押融资", today=ON,
    )  # fmt: skip
    assert evaluation.requester_kind == "unit"  # the enterprise's own result
    services.evaluation_accept(
        actor=s.staff, evaluation=evaluation, evaluator=s.evaluator, today=ON
    )
    services.evaluation_declare(actor=s.evaluator, evaluation=evaluation, interest="")
    services.evaluation_score(actor=s.evaluator, evaluation=evaluation, data=scores(), today=ON)
    services.evaluation_sign(actor=s.evaluator, evaluation=evaluation, today=ON)
    bank = personas.financial_institution
    assert selectors.evaluation_for(bank, evaluation.pk) is None  # not yet pledged to it
    application = applied(personas, product(personas))
    assert list(application.evaluations.all()) == [evaluation]
    assert list(selectors.evaluations_for_bank(result)) == [evaluation]
    assert selectors.evaluation_for(bank, evaluation.pk) == evaluation
    client.force_login(bank)
    assert client.get(reverse("evaluation:pdf", args=[evaluation.pk, "en"])).status_code == 200
    # Another bank, and the investor, read nothing of it.
    other = UserFactory(email="other-bank@test.kttc.example")
    Membership.objects.create(
        user=other, role=Role.FINANCIAL_INSTITUTION,
        organisation=OrganisationFactory(kind=OrganisationKind.FINANCIAL_INSTITUTION.value),
    )  # fmt: skip
    for person in (other, personas.investment_platform):
        assert selectors.evaluation_for(person, evaluation.pk) is None
