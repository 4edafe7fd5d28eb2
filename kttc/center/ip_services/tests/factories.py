"""Pre-examination requests for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kttc.center.ip_services import services
from kttc.center.ip_services.models import PreExamination
from kttc.core.services import Document
from kttc.policy.roles import Role

#: A Friday: five working days later is the next Friday.
DAY = dt.date(2026, 12, 4)


def filing(**changes: Any) -> services.Filing:
    values: dict[str, Any] = {"title": "一种重组蛋白疫苗的纯化方法", "kind": "invention"}
    values["industry_code"] = "C2762"
    values.update(changes)
    return services.Filing(**values)


def attachment(content: bytes = b"%PDF-1.4 claims") -> services.Attachment:
    return services.Attachment("权利要求书", Document("权利要求书.pdf", content))


def filed(personas: Any, *, on: dt.date = DAY, **changes: Any) -> PreExamination:
    return services.pre_examination_file(
        actor=personas.enterprise, applicant=personas.organisations[Role.ENTERPRISE],
        filing=filing(**changes), documents=[attachment()], today=on,
    )  # fmt: skip


def accepted(personas: Any, *, on: dt.date = DAY) -> PreExamination:
    return services.pre_examination_accept(
        actor=personas.bureau, request=filed(personas, on=on), today=on
    )
