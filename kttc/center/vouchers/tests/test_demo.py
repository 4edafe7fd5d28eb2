"""The innovation vouchers' demo (M12.2): an open programme, the demo enterprise's voucher
redeemed at the demo broker's certified institution and one unused, an application waiting; the
report adds up; the homes list what waits; loading twice adds nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.center.vouchers import selectors
from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_programme_a_redeemed_and_an_unused_voucher_and_a_waiting_application(
    client,
):
    load_core_demo()
    center_demo.load_demo()
    programme = VoucherProgramme.objects.get()
    assert programme.status == "open"
    assert sorted(Voucher.objects.values_list("status", flat=True)) == ["issued", "redeemed"]
    redeemed = Voucher.objects.get(status="redeemed")
    assert redeemed.redemption.institution.name == "金马技术转移服务中心"
    assert VoucherApplication.objects.filter(status="submitted").count() == 1
    report = selectors.report(programme)
    assert (report.total.redeemed, report.total.outstanding, report.remaining) == (
        Decimal("12800.00"), Decimal("8000.00"), Decimal("479200.00"),
    )  # fmt: skip
    assert audit_chain_verify().intact
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    home = client.get(reverse("office:home")).content.decode()
    assert "Voucher applications waiting for the bureau" in home
    assert f'href="{reverse("vouchers:home")}" id="nav-vouchers"' in home
    client.force_login(User.objects.get(email="enterprise@demo.kttc.example"))
    assert "Innovation vouchers to use" in client.get(reverse("office:home")).content.decode()
    mine = client.get(reverse("vouchers:mine")).content.decode()
    assert redeemed.code in mine
    client.force_login(User.objects.get(email="broker@demo.kttc.example"))
    assert "53012400918" in client.get(reverse("vouchers:redeem")).content.decode()
    count = Voucher.objects.count()
    center_demo.load_demo()
    assert Voucher.objects.count() == count and VoucherProgramme.objects.count() == 1
