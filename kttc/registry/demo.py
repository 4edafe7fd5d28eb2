"""Demo results of the registry: fiscal projects, published results in Chinese (many with an
English translation), restricted ones, and drafts due or overdue (M8.6). Invented for the demo;
patent numbers carry valid check characters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kttc.core.models import Organisation, User
from kttc.policy import calendar
from kttc.policy.calendar import add_months
from kttc.policy.identifiers import complete_patent_application_number
from kttc.registry import services
from kttc.registry.achievements.validation import validate_achievement

# name, keywords, abstract, discipline, industry, trl, English name, English keywords
RESULTS = [
    (
        "石墨烯改性锂离子电池负极材料制备技术",
        "石墨烯,锂离子电池,负极材料",
        "采用化学气相沉积在硅碳负极表面包覆石墨烯，首次库伦效率提升至92%，循环500次容量保持率88%。",
        "4304020",
        "C3841",
        6,
        "Graphene-modified anode material for lithium-ion batteries",
        "graphene,lithium-ion battery,anode",
    ),
    (
        "三七皂苷高效提取与纯化工艺",
        "三七,皂苷,提取工艺",
        "以超声辅助低温提取结合大孔树脂纯化，三七总皂苷得率提高25%，溶剂用量减少40%。",
        "3605010",
        "C2740",
        7,
        "Efficient extraction and purification of Panax notoginseng saponins",
        "Panax notoginseng,saponin,extraction",
    ),
    (
        "普洱茶发酵过程智能监测系统",
        "普洱茶,发酵,智能监测",
        "通过多点温湿度与微生物传感实时监测渥堆发酵，结合模型预警，批次品质稳定性显著提高。",
        "4135020",
        "C1530",
        6,
        "Intelligent monitoring of Pu'er tea fermentation",
        "Pu'er tea,fermentation,monitoring",
    ),
    (
        "高原特色蔬菜节水滴灌栽培技术",
        "高原农业,滴灌,节水",
        "针对滇中高原红壤区蔬菜种植，集成水肥一体化滴灌与覆膜技术，节水35%，增产12%。",
        "2104010",
        "A0141",
        8,
        "Water-saving drip irrigation for plateau vegetables",
        "plateau agriculture,drip irrigation,water saving",
    ),
    (
        "天麻组织培养快繁技术",
        "天麻,组织培养,快繁",
        "建立天麻种子萌发与原球茎增殖的组培体系，繁殖系数提高3倍，适合规模化种苗生产。",
        "1803520",
        "A0119",
        7,
        "Rapid propagation of Gastrodia elata by tissue culture",
        "Gastrodia elata,tissue culture",
    ),
    (
        "钙钛矿太阳能电池封装工艺",
        "钙钛矿,太阳能电池,封装",
        "提出低温原子层沉积阻隔层封装方法，器件在85℃/85%湿热条件下1000小时效率保持90%以上。",
        "4304010",
        "C3825",
        5,
        "Encapsulation of perovskite solar cells",
        "perovskite,solar cell,encapsulation",
    ),
    (
        "基于深度学习的眼底图像辅助诊断系统",
        "人工智能,眼底图像,辅助诊断",
        "基于卷积神经网络的糖尿病视网膜病变分级模型，在多中心数据上敏感度达94%。",
        "3203020",
        "I6513",
        6,
        "Deep-learning diagnosis of fundus images",
        "artificial intelligence,fundus image,diagnosis",
    ),
    (
        "高原鼠疫快速检测试剂盒",
        "鼠疫,快速检测,试剂盒",
        "基于胶体金免疫层析的现场快速检测，15分钟出结果，灵敏度与特异度均超过95%。",
        "3305030",
        "C2761",
        7,
        "Rapid plague test kit",
        "plague,rapid test,kit",
    ),
    (
        "磷石膏资源化利用制备建筑材料",
        "磷石膏,资源化,建筑材料",
        "以云南磷化工副产磷石膏为原料，经净化改性制备高强石膏砌块，性能满足国家标准。",
        "6104020",
        "C3024",
        7,
        "Building materials from phosphogypsum",
        "phosphogypsum,recycling,building material",
    ),
    (
        "智能巡检机器人在变电站的应用",
        "巡检机器人,变电站,智能制造",
        "轮式巡检机器人搭载红外与可见光双光谱相机，自主导航完成变电站日常巡检。",
        "4135010",
        "C3491",
        8,
        "Inspection robot for substations",
        "inspection robot,substation,intelligent manufacturing",
    ),
    (
        "咖啡果皮生物活性物质提取",
        "咖啡,果皮,生物活性",
        "从普洱咖啡加工副产物果皮中提取绿原酸与多酚，开发功能性食品原料。",
        "5503010",
        "C1499",
        5,
        "",
        "",
    ),
    (
        "滇池蓝藻水华预警模型",
        "蓝藻,水华,预警模型",
        "融合遥感与水质在线监测数据，提前7天预测滇池蓝藻水华发生概率，准确率85%。",
        "6107020",
        "N7721",
        6,
        "",
        "",
    ),
    (
        "锂电池梯次利用储能系统",
        "锂离子电池,梯次利用,储能",
        "退役动力电池分选重组技术与电池管理系统，用于通信基站备用电源。",
        "4702020",
        "C3841",
        7,
        "Second-life lithium battery storage",
        "lithium battery,second life,energy storage",
    ),
    (
        "中药材重金属快速检测方法",
        "中药材,重金属,检测",
        "建立微波消解-电感耦合等离子体质谱法，同时测定五种重金属，检测时间缩短一半。",
        "3605020",
        "M7452",
        6,
        "",
        "",
    ),
    (
        "花卉种球低温储藏保鲜技术",
        "花卉,种球,保鲜",
        "针对百合、郁金香种球建立分段降温储藏工艺，发芽率提高18%。",
        "2104030",
        "A0143",
        8,
        "Cold storage of flower bulbs",
        "flowers,bulbs,storage",
    ),
    (
        "高海拔地区混凝土抗冻技术",
        "混凝土,抗冻,高海拔",
        "通过引气剂与矿物掺合料复合改性，显著提升高海拔地区混凝土抗冻融性能。",
        "5604010",
        "E4811",
        7,
        "",
        "",
    ),
]


def _raw(
    index: int, row: tuple, unit: Organisation, *, formation: dt.date, **extra: object
) -> dict:
    name, keywords, abstract, discipline, industry, trl, name_en, keywords_en = row
    serial = f"{index + 1:07d}"
    patent = complete_patent_application_number(f"2023{'1' if index % 3 else '2'}{serial}")
    raw: dict = {
        "name": name,
        "keywords": keywords,
        "abstract": abstract,
        "discipline_code": discipline,
        "industry_code": industry,
        "trl": trl,
        "formation_date": formation.isoformat(),
        "achievement_type": "applied",
        "attribute": "original",
        "evaluation_level": "domestic_leading" if index % 2 else "not_evaluated",
        "transformation_modes": ["licence", "transfer"] if index % 2 else ["licence"],
        "use_first_pay_later": index % 3 != 2,
        "asking_terms": "面议",
        "advantage": "成本低、工艺成熟",
        "target_market": "云南及南亚东南亚相关企业",
        "route_to_market": "许可或作价投资",
        "units": [{"name": unit.name, "share": "100"}],
        "completers": [
            {"name": "李明", "unit_name": unit.name, "share": "60"},
            {"name": "赵华", "unit_name": unit.name, "share": "40"},
        ],
        "ip_rights": [
            {
                "kind": "invention" if index % 3 else "utility_model",
                "number": patent,
                "status": "granted",
                "grant_date": "2024-06-01",
            }
        ],
        "external_ref": f"DEMO-{index + 1:03d}",
    }
    if name_en:
        raw["translations"] = [
            {
                "language": "en",
                "name": name_en,
                "abstract": f"{name_en}: a result ready for licensing.",
                "keywords": keywords_en,
            }
        ]
    raw.update(extra)
    return raw


PROJECT_NUMBER = "KMKJ2026-0012"


def demo_loaded() -> bool:
    from kttc.registry.models import FiscalProject

    return FiscalProject.objects.filter(project_number=PROJECT_NUMBER).exists()


@transaction.atomic
def load_demo() -> None:
    bureau = User.objects.get(email="bureau@demo.kttc.example")
    office = User.objects.get(email="office@demo.kttc.example")
    university = Organisation.objects.get(name="春城大学")
    today = calendar.today_in_shanghai()
    project = services.fiscal_project_create(
        actor=bureau,
        undertaking_unit=university,
        competent_department="昆明市科学技术局",
        programme="昆明市重点研发计划",
        project_number=PROJECT_NUMBER,
        title="高原特色生物资源开发关键技术",
        approval_date=dt.date(2026, 1, 10),
        budget=Decimal("1200000.00"),
        transformation_obligation="三年内许可或转让至少一家本地企业",
        transformation_deadline=dt.date(2030, 12, 31),
    )
    for index, row in enumerate(RESULTS):
        formation = add_months(today, -(index % 8) - 4)
        restricted = index in (10, 13)
        raw = _raw(
            index,
            row,
            university,
            formation=formation,
            confidentiality="restricted" if restricted else "public",
        )
        data = validate_achievement(raw, today=today)
        achievement = services.achievement_create(actor=office, unit=university, data=data)
        if index < 14:
            services.achievement_submit(actor=office, achievement=achievement)
            services.achievement_publish(actor=bureau, achievement=achievement)
        elif index == 14:
            services.achievement_submit(actor=office, achievement=achievement)
    # Fiscally funded results not yet submitted: one overdue, one due soon (M8.6).
    for index, months_ago in ((0, 5), (1, 1)):
        row = RESULTS[index]
        raw = _raw(
            100 + index,
            (f"{row[0]}（中试阶段）", *row[1:6], "", ""),
            university,
            formation=add_months(today, -months_ago),
            project_number=project.project_number,
            external_ref=f"DEMO-FISCAL-{index + 1}",
        )
        services.achievement_create(
            actor=office, unit=university, data=validate_achievement(raw, today=today)
        )
