"""What waits in innovation vouchers (see ``kttc.core.todos``, M12.2): the applications waiting
for the bureau; an enterprise's vouchers to use and those expiring soon; the vouchers presented
to an institution, waiting for it to redeem them, and its recent redemptions."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.vouchers import selectors
from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherRedemption
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M12.2",)
#: The institution's home lists its redemptions of the last this many days.
RECENT_DAYS = 30


def _application(a: VoucherApplication) -> tuple[str, str]:
    return f"{a.enterprise.name} · {a.amount}", reverse("vouchers:application", args=[a.pk])


def _voucher(v: Voucher) -> tuple[str, str]:
    return f"{v.code} · {v.value} · {v.expires_on.isoformat()}", reverse("vouchers:mine")


def _presented(v: Voucher) -> tuple[str, str]:
    return f"{v.code} · {v.enterprise.name} · {v.value}", reverse("vouchers:redeem")


def _redemption(r: VoucherRedemption) -> tuple[str, str]:
    return f"{r.voucher.code} · {r.amount} · {r.invoice_number}", reverse("vouchers:redeem")


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    today = selectors.today()
    out = []
    if role_can(role, Capability.MANAGE_VOUCHERS_ALL):
        out.append(
            section(
                _("Voucher applications waiting for the bureau"), CLAUSES,
                selectors.applications_waiting(), limit=limit,
                more_link=reverse("vouchers:programmes"), describe=_application,
                since="applied_on",
            )
        )  # fmt: skip
    if role_can(role, Capability.APPLY_VOUCHERS):
        enterprise = membership.organisation
        out.append(
            section(
                _("Innovation vouchers expiring soon"), CLAUSES,
                selectors.vouchers_expiring(enterprise, today), limit=limit,
                more_link=reverse("vouchers:mine"), describe=_voucher, since="expires_on",
            )
        )  # fmt: skip
        out.append(
            section(
                _("Innovation vouchers to use"), CLAUSES,
                selectors.vouchers_to_use(enterprise, today), limit=limit,
                more_link=reverse("vouchers:mine"), describe=_voucher, since="expires_on",
            )
        )  # fmt: skip
    if role_can(role, Capability.REDEEM_VOUCHERS):
        institution = membership.organisation
        out.append(
            section(
                _("Innovation vouchers presented, waiting to be redeemed"), CLAUSES,
                selectors.vouchers_presented(institution, today), limit=limit,
                more_link=reverse("vouchers:redeem"), describe=_presented, since="presented_on",
            )
        )  # fmt: skip
        recent = selectors.redemptions_of(institution).filter(
            redeemed_on__gte=today - timedelta(days=RECENT_DAYS)
        )
        out.append(
            section(
                _("Recent voucher redemptions"), CLAUSES, recent, limit=limit,
                more_link=reverse("vouchers:redeem"), describe=_redemption, since="redeemed_on",
            )
        )  # fmt: skip
    return out
