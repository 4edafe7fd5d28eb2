"""``{% load empowerment %}``: the rights granted on a result (M1.2), for the result's pages.

The registry's office page and the public catalog page show them without importing this part
(the arrows of the layers point the other way): their templates load this library, which reads
through ``kttc.reform.empowerment.selectors``. On a public page only the rights in force on a
public result are shown.
"""

from __future__ import annotations

from typing import Any

from django import template

from kttc.core.selectors import user_can
from kttc.policy.roles import Capability
from kttc.reform.empowerment import documents, selectors
from kttc.reform.empowerment.choices import RightStatus

register = template.Library()


@register.inclusion_tag("reform/_result_rights.html", takes_context=True)
def empowerment_rights(context: Any, achievement: Any, public: bool = False) -> dict[str, Any]:
    """M1.2: the rights on ``achievement``; on the office page also the way to apply (M1.4)."""
    if public:
        return {"rights": list(selectors.public_rights_of(achievement)), "public": True}
    user = context["request"].user
    open_application = selectors.open_application_of(achievement)
    rights = list(selectors.rights_of(achievement))
    can_apply = (
        open_application is None
        and not any(r.status == RightStatus.ACTIVE for r in rights)
        and user_can(user, Capability.APPLY_EMPOWERMENT, achievement.unit)
        and selectors.is_completer(user, achievement)
    )
    visible = selectors.applications_visible_to(user).filter(achievement=achievement)
    return {
        "rights": rights,
        "public": False,
        "achievement": achievement,
        "can_apply": can_apply,
        "applications": list(visible[:5]),
    }


@register.filter
def percent(ratio: Any) -> str:
    """A ratio as a percentage: 0.7500 -> "75"."""
    return documents.percent(ratio) if ratio is not None else ""
