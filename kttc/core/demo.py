"""Demo data: organisations of every kind, one persona per role, and decisions in the audit chain.

Everything is made through the services, so the demo's decisions are real entries of the chain.
The names are invented for the demo; the credit codes carry valid check characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from kttc.core import services
from kttc.core.models import Organisation, User
from kttc.policy.identifiers import make_uscc, organisation_code_check_char
from kttc.policy.roles import OrganisationKind, Role

DEMO_PASSWORD = "kttc-demo-2026"  # noqa: S105 — printed in the README; demo machines only
OPERATOR_EMAIL = "admin@demo.kttc.example"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    name_en: str
    kind: OrganisationKind
    municipal: bool
    registrar: str  # first character of the credit code: 1 government, 9 enterprise ...
    entity_type: str
    serial: str


ORGANISATIONS = (
    DemoOrganisation(
        "bureau",
        "昆明市科学技术局（演示）",
        "Kunming Municipal Science and Technology Bureau (demo)",
        OrganisationKind.GOVERNMENT_DEPARTMENT,
        True,
        "1",
        "1",
        "0101",
    ),
    DemoOrganisation(
        "audit",
        "昆明市审计局（演示）",
        "Kunming Municipal Audit Bureau (demo)",
        OrganisationKind.GOVERNMENT_DEPARTMENT,
        True,
        "1",
        "1",
        "0102",
    ),
    DemoOrganisation(
        "university",
        "春城大学",
        "Chuncheng University",
        OrganisationKind.UNIVERSITY,
        True,
        "1",
        "2",
        "0201",
    ),
    DemoOrganisation(
        "institute",
        "昆明市高原生物研究所",
        "Kunming Institute of Plateau Biology",
        OrganisationKind.RESEARCH_INSTITUTE,
        True,
        "1",
        "2",
        "0202",
    ),
    DemoOrganisation(
        "hospital",
        "昆明市滇池医院",
        "Kunming Dianchi Hospital",
        OrganisationKind.MEDICAL_INSTITUTION,
        True,
        "1",
        "2",
        "0203",
    ),
    DemoOrganisation(
        "enterprise",
        "云岭智造科技有限公司",
        "Yunling Intelligent Manufacturing Co., Ltd.",
        OrganisationKind.ENTERPRISE,
        False,
        "9",
        "1",
        "0301",
    ),
    DemoOrganisation(
        "broker",
        "金马技术转移服务中心",
        "Jinma Technology Transfer Services",
        OrganisationKind.SERVICE_INSTITUTION,
        False,
        "5",
        "2",
        "0401",
    ),
    DemoOrganisation(
        "investor",
        "昆明科创投资发展有限公司",
        "Kunming Sci-Tech Innovation Investment Development Co., Ltd.",
        OrganisationKind.INVESTMENT_PLATFORM,
        True,
        "9",
        "1",
        "0501",
    ),
    DemoOrganisation(
        "bank",
        "滇中科技银行（演示）",
        "Central Yunnan Technology Bank (demo)",
        OrganisationKind.FINANCIAL_INSTITUTION,
        False,
        "9",
        "1",
        "0601",
    ),
)


@dataclass(frozen=True)
class Persona:
    email: str
    full_name: str
    organisation: str
    role: Role


PERSONAS = (
    Persona("bureau@demo.kttc.example", "陈静", "bureau", Role.BUREAU),
    Persona("auditor@demo.kttc.example", "周敏", "audit", Role.AUDITOR),
    Persona("office@demo.kttc.example", "王芳", "university", Role.TRANSFER_OFFICE),
    Persona("researcher@demo.kttc.example", "李明", "university", Role.RESEARCHER),
    Persona("enterprise@demo.kttc.example", "张伟", "enterprise", Role.ENTERPRISE),
    Persona("broker@demo.kttc.example", "刘洋", "broker", Role.SERVICE_BROKER),
    Persona("investor@demo.kttc.example", "杨帆", "investor", Role.INVESTMENT_PLATFORM),
    Persona("bank@demo.kttc.example", "赵磊", "bank", Role.FINANCIAL_INSTITUTION),
    # M8.4: the staff of a partner center abroad, which signed up itself and was verified.
    Persona("partner@demo.kttc.example", "Souksavanh Phommachanh", "partner", Role.PARTNER),
)


def demo_credit_code(org: DemoOrganisation) -> str:
    """A Kunming (530100) credit code with valid inner and outer check characters."""
    body8 = f"KM{org.serial}{org.registrar}{org.entity_type}".upper()
    organisation_code = body8 + organisation_code_check_char(body8)
    return make_uscc(f"{org.registrar}{org.entity_type}530100{organisation_code}")


def demo_loaded() -> bool:
    return User.objects.filter(email=OPERATOR_EMAIL).exists()


@transaction.atomic
def load_demo() -> dict[str, Organisation]:
    """Create the demo once: an operator registers the organisations, the bureau verifies them
    and grants each persona its role."""
    operator = User.objects.create_superuser(OPERATOR_EMAIL, DEMO_PASSWORD, full_name="平台运维")
    organisations = {
        org.key: services.organisation_register(
            actor=operator,
            name=org.name,
            name_en=org.name_en,
            kind=org.kind.value,
            credit_code=demo_credit_code(org),
            is_municipal=org.municipal,
            region="云南省昆明市",
        )
        for org in ORGANISATIONS
    }
    people = {
        p.email: User.objects.create_user(p.email, DEMO_PASSWORD, full_name=p.full_name)
        for p in PERSONAS
        if p.role != Role.PARTNER
    }
    bureau_person = people[PERSONAS[0].email]
    services.membership_grant(
        actor=operator,
        organisation=organisations["bureau"],
        user=bureau_person,
        role=Role.BUREAU.value,
    )
    for organisation in organisations.values():
        services.organisation_verify(actor=bureau_person, organisation=organisation)
    for persona in PERSONAS[1:]:
        if persona.role == Role.PARTNER:
            continue
        services.membership_grant(
            actor=bureau_person,
            organisation=organisations[persona.organisation],
            user=people[persona.email],
            role=persona.role.value,
        )
    organisations["partner"] = load_partner(bureau_person)
    load_pending_registration()
    return organisations


def load_partner(bureau_person: User) -> Organisation:
    """M8.4: a technology transfer center in Vientiane signs up as a partner abroad, its person
    (``partner@demo.kttc.example``) confirms the e-mail, and the bureau verifies it."""
    from kttc.core.accounts import services as accounts

    persona = next(p for p in PERSONAS if p.role == Role.PARTNER)
    result = accounts.sign_up(
        accounts.SignUp(
            name="ສູນຖ່າຍທອດເຕັກໂນໂລຊີ ວຽງຈັນ",
            name_en="Vientiane Technology Transfer Center",
            kind=OrganisationKind.PARTNER_ABROAD.value,
            country="LA",
            credit_code="",
            registration_number="01-0045217",
            full_name=persona.full_name,
            email=persona.email,
            password=DEMO_PASSWORD,
            language="lo",
            contact_phone="+856 21 212 000",
            website="https://vttc.demo.example",
        )
    )
    assert result.user is not None and result.organisation is not None
    accounts.sign_up_confirm(result.user)
    return services.organisation_verify(actor=bureau_person, organisation=result.organisation)


#: A foreign enterprise that signed up and confirmed its e-mail, so that the center's
#: verification queue (/office/organisations/waiting/) is not empty in the demo.
PENDING_EMAIL = "an.nguyen@mekong-tech.demo.example"


def load_pending_registration() -> Organisation | None:
    from kttc.core.accounts import services as accounts

    result = accounts.sign_up(
        accounts.SignUp(
            name="Công ty Cổ phần Công nghệ Mê Kông",
            name_en="Mekong Technology JSC",
            kind=OrganisationKind.ENTERPRISE.value,
            country="VN",
            credit_code="",
            registration_number="0316 457 982",
            full_name="Nguyễn Văn An",
            email=PENDING_EMAIL,
            password=DEMO_PASSWORD,
            language="en",
            contact_phone="+84 28 3822 0000",
        )
    )
    if result.user is not None:
        accounts.sign_up_confirm(result.user)
    return result.organisation
