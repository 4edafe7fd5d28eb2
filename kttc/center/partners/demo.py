"""The partners' demo (M8.4): the center's partnership with the Vientiane technology transfer
center (``partner@demo.kttc.example``, signed up and verified in the core's demo), partners in
Viet Nam and Thailand, a Lao enterprise the Vientiane center referred and the bureau verified,
and a demand the partner posted for it in Lao, with English and Chinese translations, published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kttc.center.demands import services as demands
from kttc.center.partners import services
from kttc.center.partners.models import Partnership
from kttc.core.accounts import services as accounts
from kttc.core.demo import DEMO_PASSWORD
from kttc.core.models import Organisation, User
from kttc.core.services import organisation_verify
from kttc.policy import calendar
from kttc.policy.roles import OrganisationKind

PARTNER = "partner@demo.kttc.example"
BUREAU = "bureau@demo.kttc.example"

#: (name, English name, country, register number, type, agreement, scope, person, e-mail)
OTHERS = (
    ("Trung tâm Ứng dụng và Chuyển giao Công nghệ Hà Nội",
     "Hanoi Technology Application and Transfer Center", "VN", "0101234567", "transfer_center",
     dt.date(2025, 9, 12), "Joint promotion of results; referral of Vietnamese enterprises.",
     "Trần Thị Mai", "mai.tran@hatc.demo.example"),
    ("สภาหอการค้าเชียงใหม่", "Chiang Mai Chamber of Commerce", "TH", "0505536000123",
     "chamber_of_commerce", dt.date(2026, 3, 20),
     "Matchmaking of northern Thai enterprises with Kunming's results.",
     "Somchai Wongsakul", "somchai@cmcc.demo.example"),
)  # fmt: skip

LAO_DEMAND = dict(
    title="ເຕັກໂນໂລຊີອົບແຫ້ງກາເຟ ແລະ ເຂົ້າ ດ້ວຍພະລັງງານແສງຕາເວັນ",
    description="ບໍລິສັດຂອງພວກເຮົາຢູ່ແຂວງຈໍາປາສັກ ຕ້ອງການເຕັກໂນໂລຊີອົບແຫ້ງກາເຟ ແລະ ເຂົ້າ "
    "ດ້ວຍພະລັງງານແສງຕາເວັນ ທີ່ຮັກສາຄຸນນະພາບ ແລະ ປະຫຍັດພະລັງງານ, 3 ໂຕນຕໍ່ມື້.",
    modes=["licence", "joint_development"], industry="C13", trl=6,
    budget_min=Decimal("200000"), budget_max=Decimal("900000"), country="LA", language="lo",
)  # fmt: skip
TRANSLATIONS = (
    ("en", "Solar drying of coffee and rice",
     "Our company in Champasak province needs a solar drying technology for coffee and rice "
     "that keeps their quality and saves energy, for 3 tonnes a day."),
    ("zh-hans", "咖啡和稻谷太阳能干燥技术",
     "我公司位于占巴塞省，需要保持品质、节约能源的咖啡和稻谷太阳能干燥技术，日处理量3吨。"),
)  # fmt: skip


def demo_loaded() -> bool:
    return Partnership.objects.exists()


def _partner(bureau: User, row: tuple[object, ...]) -> Organisation:
    name, name_en, country, number, _type, _day, _scope, person, email = row
    result = accounts.sign_up(
        accounts.SignUp(
            name=str(name), name_en=str(name_en), kind=OrganisationKind.PARTNER_ABROAD.value,
            country=str(country), credit_code="", registration_number=str(number),
            full_name=str(person), email=str(email), password=DEMO_PASSWORD, language="en",
        )
    )  # fmt: skip
    assert result.user is not None and result.organisation is not None
    accounts.sign_up_confirm(result.user)
    return organisation_verify(actor=bureau, organisation=result.organisation)


@transaction.atomic
def load_demo() -> None:
    bureau = User.objects.get(email=BUREAU)
    staff = User.objects.get(email=PARTNER)
    vientiane = Organisation.objects.get(memberships__user=staff, kind="partner_abroad")
    services.partnership_record(
        actor=bureau,
        partner=vientiane,
        data=services.PartnershipData(
            "transfer_center", dt.date(2025, 6, 18),
            "Referral of Lao enterprises, their demands in Lao, joint promotion of results.",
        ),
    )  # fmt: skip
    for row in OTHERS:
        partner = _partner(bureau, row)
        services.partnership_record(
            actor=bureau,
            partner=partner,
            data=services.PartnershipData(str(row[4]), row[5], str(row[6])),
        )
    invitation = accounts.organisation_refer(
        actor=staff,
        partner=vientiane,
        referral=accounts.Referral(
            "ບໍລິສັດ ຈໍາປາສັກ ກະສິກໍາ ຈໍາກັດ", "Champasak Agro Co., Ltd.", "16-0003381",
            "khamla@champasak-agro.demo.example",
        ),
    )  # fmt: skip
    enterprise = organisation_verify(actor=bureau, organisation=invitation.organisation)
    demand = demands.demand_post(
        actor=staff,
        organisation=enterprise,
        partner=vientiane,
        data=demands.DemandData(
            deadline=calendar.today_in_shanghai() + dt.timedelta(days=120),
            translations=[demands.DemandTranslationData(*t) for t in TRANSLATIONS],
            **LAO_DEMAND,  # type: ignore[arg-type]  # the rows above are DemandData's fields
        ),
    )
    demands.demand_publish(actor=bureau, demand=demand)
