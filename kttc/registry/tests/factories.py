"""Test data of the registry: raw achievement data as a form, the API or an import row would give
it, and fiscal projects recorded by the bureau."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def achievement_raw(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "高原特色植物提取物制备方法",
        "achievement_type": "applied",
        "attribute": "original",
        "keywords": ["石墨烯", "植物提取", "高原"],
        "abstract": "本成果提供一种高原特色植物有效成分的提取与纯化方法，收率提高30%。",
        "discipline_code": "41630",
        "industry_code": "C2710",
        "trl": 6,
        "evaluation_level": "domestic_leading",
        "formation_date": "2026-09-30",
        "confidentiality": "public",
        "transformation_modes": ["licence", "transfer"],
        "use_first_pay_later": True,
        "asking_terms": "许可费面议",
        "advantage": "成本低",
        "target_market": "医药企业",
        "route_to_market": "先使用后付费许可",
        "units": [{"name": "春城测试大学", "share": "100"}],
        "completers": [
            {"name": "李明", "unit_name": "春城测试大学", "share": "60"},
            {"name": "王强", "unit_name": "春城测试大学", "share": "40"},
        ],
        "ip_rights": [
            {
                "kind": "invention",
                "number": "ZL201710601862.3",
                "status": "granted",
                "grant_date": "2019-05-01",
                "title": "一种提取方法",
            },
        ],
        "translations": [
            {
                "language": "en",
                "name": "Preparation of plateau plant extracts",
                "abstract": "A method to extract and purify active ingredients of plateau plants.",
                "keywords": ["graphene", "plant extraction"],
            },
        ],
    }
    raw.update(changes)
    return raw


def fiscal_project(personas: Any, unit: Any, **changes: Any) -> Any:
    """M4.1, M4.2: a fiscal project of ``unit`` recorded by the bureau, approved on 2026-03-01
    with its deadline five years later; ``changes`` override the fields."""
    from kttc.registry.projects import services

    fields: dict[str, Any] = {
        "undertaking_unit": unit,
        "competent_department": "昆明市科学技术局",
        "programme": "重点研发计划",
        "project_number": "KM2026-001",
        "title": "高原植物开发",
        "approval_date": dt.date(2026, 3, 1),
        "budget": Decimal("500000.00"),
        "transformation_obligation": "许可或转让给本地企业",
        "transformation_deadline": dt.date(2031, 3, 1),
    }
    return services.fiscal_project_create(actor=personas.bureau, **(fields | changes))
