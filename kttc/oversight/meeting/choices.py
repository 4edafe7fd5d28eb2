"""Choices of the joint meeting (M13.1, M13.2), their values those of :mod:`kttc.policy.meeting`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kttc.policy import meeting as rules


class DifficultyStatus(models.TextChoices):
    RAISED = rules.Status.RAISED, pgettext_lazy("difficulty", "raised")
    ON_AGENDA = rules.Status.ON_AGENDA, _("on the agenda")
    DECIDED = rules.Status.DECIDED, pgettext_lazy("difficulty", "decided")
    RESOLVED = rules.Status.RESOLVED, pgettext_lazy("difficulty", "resolved")
    CLOSED = rules.Status.CLOSED, pgettext_lazy("difficulty", "closed")


class DifficultyCategory(models.TextChoices):
    POLICY = rules.Category.POLICY, _("Rules and approvals")
    FUNDING = rules.Category.FUNDING, _("Funding and finance")
    TALENT = rules.Category.TALENT, _("Talent and incentives")
    FACILITIES = rules.Category.FACILITIES, _("Pilot facilities and platforms")
    IP = rules.Category.IP, _("Intellectual property")
    MARKET = rules.Category.MARKET, _("Market and application")
    OTHER = rules.Category.OTHER, pgettext_lazy("difficulty field", "Other")


class TaskStatus(models.TextChoices):
    OPEN = rules.TaskStatus.OPEN, pgettext_lazy("task", "open")
    CLOSED = rules.TaskStatus.CLOSED, pgettext_lazy("task", "closed")


#: The owners of tasks (M13.2), named as the measures name them (Chinese proper names).
OWNER_CHOICES: list[tuple[str, str]] = [
    (code, name) for code, (_kind, name) in rules.OWNERS.items()
]


#: The owners' names in English, the msgids of their names in the reader's language.
OWNER_NAMES: dict[str, str] = {
    "dept_science": gettext_noop("Municipal Science and Technology Bureau"),
    "dept_finance": gettext_noop("Municipal Finance Bureau"),
    "dept_education": gettext_noop("Municipal Education and Sports Bureau"),
    "dept_health": gettext_noop("Municipal Health Commission"),
    "dept_sasac": gettext_noop(
        "Municipal State-owned Assets Supervision and Administration Commission"
    ),
    "dept_market": gettext_noop("Municipal Market Supervision Administration"),
    "dept_hrss": gettext_noop("Municipal Human Resources and Social Security Bureau"),
    "dept_industry": gettext_noop("Municipal Industry and Information Technology Bureau"),
    "dept_development": gettext_noop("Municipal Development and Reform Commission"),
    "dept_financial": gettext_noop("Municipal Financial Office"),
    "wuhua": gettext_noop("Wuhua District"),
    "panlong": gettext_noop("Panlong District"),
    "guandu": gettext_noop("Guandu District"),
    "xishan": gettext_noop("Xishan District"),
    "chenggong": gettext_noop("Chenggong District"),
    "jinning": gettext_noop("Jinning District"),
    "dongchuan": gettext_noop("Dongchuan District"),
    "anning": gettext_noop("Anning City"),
    "fumin": gettext_noop("Fumin County"),
    "yiliang": gettext_noop("Yiliang County"),
    "shilin": gettext_noop("Shilin County"),
    "songming": gettext_noop("Songming County"),
    "luquan": gettext_noop("Luquan County"),
    "xundian": gettext_noop("Xundian County"),
}


def owner_name(code: str) -> str:
    """M13.2: an owner named in the reader's language, followed by its Chinese name (how the
    measures name it) where the reader reads another language."""
    chinese = rules.OWNERS[code][1] if code in rules.OWNERS else code
    if (get_language() or "").lower().startswith("zh") or code not in OWNER_NAMES:
        return chinese
    return f"{gettext(OWNER_NAMES[code])} ({chinese})"


def owner_choices() -> list[tuple[str, str]]:
    """The owners as a form offers them, in the reader's language."""
    return [(code, owner_name(code)) for code in rules.OWNERS]
