"""What people hear of innovation vouchers at once (DESIGN rule 12, M12.2): enterprises of a
programme opened; the bureau of each application; the enterprise of the bureau's decision, of
its voucher redeemed and of its voucher expired; the institution of a voucher presented to it;
the bureau of each redemption. Each notice is sent once per event (its dedupe key), on the
platform and by e-mail after the decision commits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M12.2",)

OPENED = Notice(
    kind="voucher.programme_opened",
    subject=gettext_noop("Innovation vouchers: %(name)s"),
    body=gettext_noop(
        "The bureau opened the innovation voucher programme “%(name)s” (M12.2): vouchers of "
        "%(value)s yuan for %(services)s. Applications are taken from %(start)s to %(end)s."
    ),
    clauses=CLAUSES,
)
CLOSED = Notice(
    kind="voucher.programme_closed",
    subject=gettext_noop("Voucher programme closed to applications: %(name)s"),
    body=gettext_noop(
        "The bureau closed the innovation voucher programme “%(name)s” to new applications on "
        "%(date)s (M12.2). Your application waiting will still be decided."
    ),
    clauses=CLAUSES,
)
APPLIED = Notice(
    kind="voucher.applied",
    subject=gettext_noop("Voucher application: %(enterprise)s"),
    body=gettext_noop(
        "%(enterprise)s applied for an innovation voucher of %(amount)s yuan under “%(name)s” "
        "(M12.2). Issue a voucher or refuse saying why."
    ),
    clauses=CLAUSES,
)
ISSUED = Notice(
    kind="voucher.issued",
    subject=gettext_noop("Innovation voucher issued: %(code)s"),
    body=gettext_noop(
        "The bureau issued your enterprise an innovation voucher of %(value)s yuan under "
        "“%(name)s” (M12.2), code %(code)s, valid until %(expires)s. Present it to a certified "
        "service institution for the service it pays for."
    ),
    clauses=CLAUSES,
)
REFUSED = Notice(
    kind="voucher.refused",
    subject=gettext_noop("Voucher application refused: %(name)s"),
    body=gettext_noop(
        "The bureau refused your application for an innovation voucher under “%(name)s” "
        "(M12.2): %(reason)s"
    ),
    clauses=CLAUSES,
)
PRESENTED = Notice(
    kind="voucher.presented",
    subject=gettext_noop("Innovation voucher presented: %(code)s"),
    body=gettext_noop(
        "%(enterprise)s chose your institution for its innovation voucher %(code)s of %(value)s "
        "yuan (M12.2), valid until %(expires)s. Redeem it once the service is delivered."
    ),
    clauses=CLAUSES,
)
REDEEMED = Notice(
    kind="voucher.redeemed",
    subject=gettext_noop("Innovation voucher redeemed: %(code)s"),
    body=gettext_noop(
        "%(institution)s redeemed the innovation voucher %(code)s for %(amount)s yuan against "
        "invoice %(invoice)s (M12.2)."
    ),
    clauses=CLAUSES,
)
EXPIRED = Notice(
    kind="voucher.expired",
    subject=gettext_noop("Innovation voucher expired: %(code)s"),
    body=gettext_noop(
        "Your enterprise's innovation voucher %(code)s of %(value)s yuan expired unused on "
        "%(expires)s (M12.2); its value returns to the programme's budget."
    ),
    clauses=CLAUSES,
)

register_kind(OPENED.kind, _("A voucher programme is opened"))
register_kind(CLOSED.kind, _("A voucher programme you applied to is closed"))
register_kind(APPLIED.kind, _("A voucher application waits for the bureau"))
register_kind(ISSUED.kind, _("Your innovation voucher is issued"), mandatory=True)
register_kind(REFUSED.kind, _("Your voucher application is refused"), mandatory=True)
register_kind(PRESENTED.kind, _("An innovation voucher is presented to your institution"))
register_kind(REDEEMED.kind, _("An innovation voucher is redeemed"))
register_kind(EXPIRED.kind, _("Your innovation voucher expired"), mandatory=True)


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def _page(name: str, *args: Any) -> str:
    try:
        return reverse(f"vouchers:{name}", args=args)
    except NoReverseMatch:
        return ""


def _send(
    notice: Notice,
    capability: Capability,
    key: str,
    about: models.Model,
    link: str,
    organisation: Organisation | None = None,
    **params: Any,
) -> int:
    return notification_send_now(
        roles=roles_with(capability),
        organisation=organisation,
        notice=replace(notice, params=params),
        dedupe_key=f"{notice.kind}:{key}",
        about=about,
        link=link,
    )


def tell_enterprises_opened(programme: VoucherProgramme, services: str) -> int:
    """Every enterprise hears of a programme opened, once."""
    return _send(
        OPENED, Capability.APPLY_VOUCHERS, str(programme.pk), programme,
        _page("programme", programme.pk), name=programme.name, value=str(programme.value),
        services=services, start=programme.opens_on.isoformat(),
        end=programme.closes_on.isoformat(),
    )  # fmt: skip


def tell_waiting_closed(programme: VoucherProgramme, enterprises: list[Organisation]) -> int:
    """The enterprises whose application waits hear that the programme closed, once each."""
    assert programme.closed_on is not None
    return sum(
        _send(
            CLOSED,
            Capability.APPLY_VOUCHERS,
            f"{programme.pk}:{enterprise.pk}",
            programme,
            _page("mine"),
            enterprise,
            name=programme.name,
            date=programme.closed_on.isoformat(),
        )
        for enterprise in enterprises
    )


def tell_bureau_applied(application: VoucherApplication) -> int:
    return _send(
        APPLIED, Capability.MANAGE_VOUCHERS_ALL, str(application.pk), application,
        _page("application", application.pk), enterprise=application.enterprise.name,
        amount=str(application.amount), name=application.programme.name,
    )  # fmt: skip


def tell_enterprise_issued(voucher: Voucher) -> int:
    return _send(
        ISSUED, Capability.APPLY_VOUCHERS, str(voucher.pk), voucher, _page("mine"),
        voucher.enterprise, value=str(voucher.value), name=voucher.programme.name,
        code=voucher.code, expires=voucher.expires_on.isoformat(),
    )  # fmt: skip


def tell_enterprise_refused(application: VoucherApplication) -> int:
    return _send(
        REFUSED, Capability.APPLY_VOUCHERS, str(application.pk), application, _page("mine"),
        application.enterprise, name=application.programme.name, reason=application.reason,
    )  # fmt: skip


def tell_institution_presented(voucher: Voucher) -> int:
    assert voucher.institution is not None
    return _send(
        PRESENTED, Capability.REDEEM_VOUCHERS, f"{voucher.pk}:{voucher.institution_id}", voucher,
        _page("redeem"), voucher.institution, enterprise=voucher.enterprise.name,
        code=voucher.code, value=str(voucher.value), expires=voucher.expires_on.isoformat(),
    )  # fmt: skip


def tell_redeemed(voucher: Voucher, *, institution: str, amount: str, invoice: str) -> int:
    """The enterprise and the bureau hear of a voucher redeemed."""
    params: dict[str, Any] = {"code": voucher.code, "institution": institution}
    params["amount"] = amount
    params["invoice"] = invoice
    told = _send(
        REDEEMED, Capability.APPLY_VOUCHERS, f"{voucher.pk}:enterprise", voucher, _page("mine"),
        voucher.enterprise, **params,
    )  # fmt: skip
    return told + _send(
        REDEEMED, Capability.MANAGE_VOUCHERS_ALL, f"{voucher.pk}:bureau", voucher,
        _page("programme", voucher.programme_id), **params,
    )  # fmt: skip
