"""The demo's questions on results: the demo enterprise asks 春城大学's transfer office about a
published result and is answered; the broker expresses interest in another, still waiting."""

from __future__ import annotations

from django.db import transaction

from kttc.center.inquiries import services
from kttc.center.inquiries.models import Inquiry
from kttc.core.models import Organisation, User
from kttc.registry.selectors import public_achievements

ENTERPRISE = "enterprise@demo.kttc.example"
BROKER = "broker@demo.kttc.example"
OFFICE = "office@demo.kttc.example"


def demo_loaded() -> bool:
    return Inquiry.objects.filter(opened_by__email=ENTERPRISE).exists()


@transaction.atomic
def load_demo() -> None:
    enterprise, broker = User.objects.get(email=ENTERPRISE), User.objects.get(email=BROKER)
    office = User.objects.get(email=OFFICE)
    results = list(public_achievements().filter(unit__name="春城大学").order_by("pk")[:2])
    if not results:
        return
    first = services.inquiry_open(
        actor=enterprise,
        achievement=results[0],
        asker=Organisation.objects.get(memberships__user=enterprise, kind="enterprise"),
        kind="question",
        subject="能否先小批量试用？",
        text="我公司希望先在一条产线上试用三个月，再决定是否申请许可。请问单位是否同意，需要哪些条件？",
    )
    services.inquiry_reply(
        actor=office,
        inquiry=first,
        text="可以。试用期间请签署保密协议，我们的技术团队可到现场指导，欢迎下周来校面谈。",
    )
    services.inquiry_open(
        actor=broker,
        achievement=results[-1],
        asker=Organisation.objects.get(memberships__user=broker),
        kind="interest",
        subject="Partners in Vietnam",
        text="We represent two manufacturers in Hanoi interested in this result. Could we "
        "arrange a video call with the research team?",
    )
