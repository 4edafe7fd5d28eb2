"""The evaluation demo (M10.1): the demo service institution 金马技术转移服务中心 (certified in its
own demo, ``broker@demo.kttc.example``) evaluated one of the demo university's public results at
the request of the demo bank (``bank@demo.kttc.example``), for a pledge loan, and another at the
request of the university's transfer office (``office@demo.kttc.example``); its broker 孙丽
(``broker2@demo.kttc.example``) declared no interest in the first and a past training service in
the second, scored and signed both, and the university agreed to show the second on the result's
public page. A third request, by the demo investor (``investor@demo.kttc.example``), waits in the
institution's queue. Dates are a few days before the day the demo is loaded, after the
institution's certification."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kttc.center.evaluation import services
from kttc.center.evaluation.models import Evaluation
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, policy_version_records
from kttc.policy import calendar
from kttc.policy.roles import Capability, OrganisationKind
from kttc.registry.selectors import public_achievements

BROKER = "broker@demo.kttc.example"
EVALUATOR = "broker2@demo.kttc.example"
BANK = "bank@demo.kttc.example"
OFFICE = "office@demo.kttc.example"
INVESTOR = "investor@demo.kttc.example"

EVIDENCE = {
    "readiness": "已完成中试，现场测试报告显示连续运行500小时性能稳定。",
    "advancement": "科技查新报告显示关键指标优于国内同类技术。",
    "ip": "已授权发明专利2件、实用新型1件，权利要求覆盖核心工艺。",
    "market": "目标市场年规模约30亿元，主要竞争者为两家国外企业。",
    "team": "研发团队12人，已与一家本地企业签订合作意向。",
    "risk": "主要风险为原料价格波动和规模化生产良率，已有应对方案。",
}


def demo_loaded() -> bool:
    return Evaluation.objects.exists()


def _day(days_ago: int) -> dt.date:
    """``days_ago`` days before today, but never before the first policy version."""
    first = min(v.effective_from for v in policy_version_records())
    return max(calendar.today_in_shanghai() - dt.timedelta(days=days_ago), first)


def _org(user: User) -> Organisation:
    return organisations_where(user, Capability.REQUEST_EVALUATION).get()


def _scores(trl: int, scores: dict[str, int], summary: str) -> services.Scores:
    return services.Scores(
        trl=trl, scores=scores, evidence=EVIDENCE, ip_claims=18, ip_family=3,
        ip_remaining_years=16, ip_legal_status="有效", market_size="约30亿元/年",
        market_competitors="两家国外企业", market_route="专利许可给本地企业后量产",
        summary=summary,
    )  # fmt: skip


def _evaluate(
    evaluation: Evaluation, staff: User, evaluator: User, interest: str, data: services.Scores,
    on: dt.date,
) -> Evaluation:  # fmt: skip
    services.evaluation_accept(actor=staff, evaluation=evaluation, evaluator=evaluator, today=on)
    services.evaluation_declare(actor=evaluator, evaluation=evaluation, interest=interest)
    services.evaluation_score(actor=evaluator, evaluation=evaluation, data=data, today=on)
    services.evaluation_sign(actor=evaluator, evaluation=evaluation, today=on)
    evaluation.refresh_from_db()
    return evaluation


@transaction.atomic
def load_demo() -> None:
    staff = User.objects.get(email=BROKER)
    evaluator = User.objects.get(email=EVALUATOR)
    bank, office, investor = (User.objects.get(email=e) for e in (BANK, OFFICE, INVESTOR))
    institution = Organisation.objects.get(
        memberships__user=staff, kind=OrganisationKind.SERVICE_INSTITUTION
    )
    unit = _org(office)
    results = list(public_achievements().filter(unit=unit).order_by("pk")[:3])
    if len(results) < 2:
        return
    first, second = results[0], results[1]
    third = results[2] if len(results) > 2 else first
    pledge = services.evaluation_request(
        actor=bank, requester=_org(bank), result=first, institution=institution,
        purpose="知识产权质押贷款申请前的成果价值评价。", today=_day(12),
    )  # fmt: skip
    _evaluate(
        pledge, staff, evaluator, "",
        _scores(6, {"advancement": 78, "ip": 72, "market": 66, "team": 60, "risk": 58},
                "技术成熟度达到中试水平，知识产权稳定，具备质押融资条件。"),
        _day(8),
    )  # fmt: skip
    own = services.evaluation_request(
        actor=office, requester=unit, result=second, institution=institution,
        purpose="成果转化定价参考和对外推介。", today=_day(10),
    )  # fmt: skip
    own = _evaluate(
        own, staff, evaluator, "评价人曾于2024年为该单位提供技术经纪培训服务，与本成果无关。",
        _scores(7, {"advancement": 85, "ip": 80, "market": 74, "team": 70, "risk": 65},
                "国内领先，市场前景良好，建议以许可方式转化。"),
        _day(5),
    )  # fmt: skip
    services.evaluation_show(actor=office, evaluation=own, shown=True)
    services.evaluation_request(
        actor=investor, requester=_org(investor), result=third, institution=institution,
        purpose="投资决策前的成果尽职评价。", today=_day(2),
    )  # fmt: skip
