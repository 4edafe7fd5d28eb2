"""The listings' demo (M8.5): two enterprises abroad (in Laos and Thailand) sign up and are
verified; one result of the demo university was listed, bid for by three verified enterprises
(the demo enterprise and those two) and awarded to the Lao one, so the transaction page shows a
cross-border transfer; another is listed now, open for bidding, with a deposit asked."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kttc.center.listings import services
from kttc.center.listings.models import Listing
from kttc.core.models import Organisation, User
from kttc.policy import listings as rules
from kttc.registry.choices import Confidentiality, Status
from kttc.registry.models import Achievement

OFFICE = "office@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"
ENTERPRISE = "enterprise@demo.kttc.example"
PASSWORD = "kttc-demo-2026"  # noqa: S105 — printed in the README; demo machines only

#: (e-mail, person, organisation in its language, in English, country, register number, language)
BIDDERS_ABROAD = (
    (
        "somphone@laoagro.demo.example",
        "Somphone Vongsa",
        "ບໍລິສັດ ລາວອາໂກຣເທັກ ຈຳກັດ",
        "Lao Agro-Tech Co., Ltd.",
        "LA",
        "01-0099881",
        "lo",
    ),
    (
        "nok@siambio.demo.example",
        "Nok Srisuk",
        "บริษัท สยามไบโออินโนเวชั่น จำกัด",
        "Siam BioInnovation Co., Ltd.",
        "TH",
        "0105561234567",
        "th",
    ),
)

NOTICE = (
    "本单位拟通过平台公开挂牌转让下列科技成果，现予公告。挂牌期间，经平台认证的境内外企业均可"
    "报名竞买；以不低于底价的最高报价成交，成交结果在交易信息公示页面公示。"
)
CONDITIONS = "竞买人须为依法设立并经平台认证的企业，具备实施本成果的生产条件。"


def demo_loaded() -> bool:
    return Listing.objects.exists()


def _enterprise_abroad(bureau: User, row: tuple[str, ...]) -> tuple[User, Organisation]:
    from kttc.core import services as core
    from kttc.core.accounts import services as accounts

    email, person, name, name_en, country, number, language = row
    result = accounts.sign_up(
        accounts.SignUp(
            name=name,
            name_en=name_en,
            kind="enterprise",
            country=country,
            credit_code="",
            registration_number=number,
            full_name=person,
            email=email,
            password=PASSWORD,
            language=language,
        )
    )
    assert result.user is not None and result.organisation is not None
    accounts.sign_up_confirm(result.user)
    return result.user, core.organisation_verify(actor=bureau, organisation=result.organisation)


def _enterprise(email: str) -> tuple[User, Organisation]:
    user = User.objects.get(email=email)
    return user, services.bidding_organisations(user)[0]


@transaction.atomic
def load_demo() -> None:
    office, bureau = User.objects.get(email=OFFICE), User.objects.get(email=BUREAU)
    unit = office.memberships.get(role="transfer_office").organisation
    results = list(
        Achievement.objects.filter(
            unit=unit, status=Status.PUBLISHED, confidentiality=Confidentiality.PUBLIC
        ).order_by("pk")[:2]
    )
    if len(results) < 2:
        return
    bidders = [_enterprise(ENTERPRISE), *(_enterprise_abroad(bureau, r) for r in BIDDERS_ABROAD)]
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(days=20)
    awarded = services.listing_publish(
        actor=office,
        achievement=results[0],
        mode="transfer",
        terms=rules.Terms(
            method=rules.Method.ASCENDING,
            reserve=Decimal("600000.00"),
            step=Decimal("20000.00"),
            deposit=Decimal("0"),
            opens_at=start,
            closes_at=start + timedelta(days=10),
            extension_minutes=5,
        ),
        notice=NOTICE,
        conditions=CONDITIONS,
        now=start,
    )
    for user, organisation in bidders:
        services.listing_register(
            actor=user, listing=awarded, organisation=organisation, now=start + timedelta(hours=1)
        )
    # Three verified enterprises bid: the demo enterprise, the Thai one, then the Lao one wins.
    for n, (who, amount) in enumerate(
        ((0, "600000.00"), (2, "640000.00"), (1, "680000.00"), (0, "700000.00"), (1, "760000.00"))
    ):
        services.bid_place(
            actor=bidders[who][0],
            listing=awarded,
            amount=Decimal(amount),
            now=start + timedelta(days=2, hours=n),
        )
    services.listing_close(listing=awarded, now=awarded.closes_at)
    awarded.refresh_from_db()
    services.listing_award(
        actor=office, listing=awarded, signed_on=(awarded.closes_at + timedelta(days=3)).date()
    )
    live = services.listing_publish(
        actor=office,
        achievement=results[1],
        mode="exclusive_licence",
        terms=rules.Terms(
            method=rules.Method.ASCENDING,
            reserve=Decimal("800000.00"),
            step=Decimal("20000.00"),
            deposit=Decimal("50000.00"),
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
            extension_minutes=5,
        ),
        notice=NOTICE,
        conditions=CONDITIONS,
        now=now - timedelta(hours=1),
    )
    thai = services.listing_register(actor=bidders[2][0], listing=live, organisation=bidders[2][1])
    services.registration_deposit_record(actor=office, registration=thai, reference="TT-2026-118")
    services.bid_place(actor=bidders[2][0], listing=live, amount=Decimal("800000.00"))
