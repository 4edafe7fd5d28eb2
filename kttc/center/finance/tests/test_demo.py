"""The finance demo (M12.1, M12.3): the bank's three products on the public page; the
enterprise's pledge loan approved with its registration, schedule and one repayment; a credit
loan application waiting on the bank's home; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.center.finance import demo as finance_demo
from kttc.center.finance.models import FinanceApplication, FinanceProduct, Pledge
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_bank_work_and_the_enterprise_a_loan_being_repaid(client):
    load_core_demo()
    center_demo.load_demo()  # the institutions' demo first: its institution evaluates (M10.1)
    assert sorted(FinanceProduct.objects.values_list("kind", flat=True)) == [
        "credit_loan", "insurance", "pledge_loan",
    ]  # fmt: skip
    loan = FinanceApplication.objects.get(kind="pledge_loan")
    assert loan.status == "approved" and loan.registration_number.startswith("KM-ZY-")
    assert loan.instalments.count() == 24 and loan.repayments.count() == 1
    assert Pledge.objects.get(application=loan).state == "active"
    (evaluation,) = loan.evaluations.all()
    assert (
        evaluation.status == "signed" and evaluation.result_id == loan.pledges.get().achievement_id
    )
    assert evaluation.evaluated_on is not None and evaluation.evaluated_on < loan.filed_on
    assert FinanceApplication.objects.get(kind="credit_loan").status == "submitted"
    assert audit_chain_verify().intact
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert (
        client.get(reverse("finance_public:products")).content.decode().count("data-product=") == 3
    )
    client.force_login(User.objects.get(email="bank@demo.kttc.example"))
    home = client.get(reverse("office:home")).content.decode()
    assert "Finance applications waiting for the bank" in home
    client.force_login(User.objects.get(email="enterprise@demo.kttc.example"))
    page = client.get(reverse("finance:application", args=[loan.pk])).content.decode()
    assert page.count("data-instalment=") == 24 and "data-repayment=" in page
    client.force_login(User.objects.get(email="bank@demo.kttc.example"))
    page = client.get(reverse("finance:application", args=[loan.pk])).content.decode()
    assert f'data-evaluation="{evaluation.pk}"' in page
    assert finance_demo.demo_loaded()
    count = FinanceApplication.objects.count()
    center_demo.load_demo()
    assert FinanceApplication.objects.count() == count
