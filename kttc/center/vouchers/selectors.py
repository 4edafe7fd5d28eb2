"""Reads of innovation vouchers (M12.2): the programmes, open ones for enterprises; the
applications waiting for the bureau; an enterprise's vouchers (those expiring soon); the
vouchers presented to an institution and its redemptions; the certified institutions an
enterprise may choose (M9.1); a programme's report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from kttc.center.institutions import selectors as institutions
from kttc.center.vouchers.choices import ApplicationStatus, ProgrammeStatus, VoucherStatus
from kttc.center.vouchers.models import (
    Voucher,
    VoucherApplication,
    VoucherProgramme,
    VoucherRedemption,
)
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy import vouchers as rules
from kttc.policy.roles import Capability


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def programmes() -> QuerySet[VoucherProgramme]:
    return VoucherProgramme.objects.all()


def open_programmes(on: date) -> QuerySet[VoucherProgramme]:
    """The programmes taking applications on ``on``."""
    return VoucherProgramme.objects.filter(
        status=ProgrammeStatus.OPEN, opens_on__lte=on, closes_on__gte=on
    ).order_by("closes_on", "id")


def applications_waiting() -> QuerySet[VoucherApplication]:
    """The applications waiting for the bureau, oldest first."""
    return (
        VoucherApplication.objects.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("programme", "enterprise")
        .order_by("applied_on", "id")
    )


def enterprises_of(user: User) -> QuerySet[Organisation]:
    return organisations_where(user, Capability.APPLY_VOUCHERS)


def institutions_of(user: User) -> QuerySet[Organisation]:
    return organisations_where(user, Capability.REDEEM_VOUCHERS)


def applications_of(enterprise: Organisation) -> QuerySet[VoucherApplication]:
    return VoucherApplication.objects.filter(enterprise=enterprise).select_related("programme")


def vouchers_of(enterprise: Organisation) -> QuerySet[Voucher]:
    return Voucher.objects.filter(enterprise=enterprise).select_related(
        "programme", "institution", "redemption"
    )


def vouchers_to_use(enterprise: Organisation, on: date) -> QuerySet[Voucher]:
    """The enterprise's vouchers not yet used and not past their expiry, soonest first."""
    return vouchers_of(enterprise).filter(status=VoucherStatus.ISSUED, expires_on__gte=on)


def vouchers_expiring(enterprise: Organisation, on: date) -> QuerySet[Voucher]:
    """Those expiring within :data:`kttc.policy.vouchers.EXPIRING_SOON_DAYS` days."""
    until = on + timedelta(days=rules.EXPIRING_SOON_DAYS)
    return vouchers_to_use(enterprise, on).filter(expires_on__lte=until)


def vouchers_presented(institution: Organisation, on: date) -> QuerySet[Voucher]:
    """The vouchers presented to the institution, waiting for it to redeem them."""
    return Voucher.objects.filter(
        institution=institution, status=VoucherStatus.ISSUED, expires_on__gte=on
    ).select_related("enterprise", "programme")


def redemptions_of(institution: Organisation) -> QuerySet[VoucherRedemption]:
    return VoucherRedemption.objects.filter(institution=institution).select_related(
        "voucher", "voucher__enterprise"
    )


def certified_institutions(on: date) -> list[Organisation]:
    """The service institutions whose certification (M9.1) is in force on ``on``."""
    return [c.institution for c in institutions.certified_institutions(on)]


def is_certified(institution: Organisation, on: date) -> bool:
    """M9.1: the institution's certification is in force on ``on``."""
    return institutions.certification_in_force(institution, on) is not None


def may_manage(user: User) -> bool:
    return user_can(user, Capability.MANAGE_VOUCHERS_ALL)


def report(programme: VoucherProgramme) -> rules.Report:
    """M12.2: the programme's report (budget, issued, redeemed, expired, remaining, by service
    kind and by institution), from its vouchers."""
    lines = [
        rules.VoucherLine(
            status=v.status,
            value=v.value,
            spent=v.redemption.amount if v.status == VoucherStatus.REDEEMED else Decimal("0.00"),
            service=v.service,
            institution=v.redemption.institution.name if v.status == VoucherStatus.REDEEMED else "",
        )
        for v in Voucher.objects.filter(programme=programme).select_related(
            "redemption", "redemption__institution"
        )
    ]
    return rules.report(programme.budget, lines)
