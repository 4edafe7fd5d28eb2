"""From a row's cells to the raw shape that ``validate_achievement`` reads."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from openpyxl.utils.datetime import from_excel

from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.registry.importing.columns import (
    ATTRIBUTES,
    BY_KEY,
    IP_KINDS,
    IP_STATUSES,
    LEVELS,
    MODES,
    SECRECY,
    TYPES,
    YES_NO,
    Choices,
)

#: Problems of one row, each with the key of its column.
Problems = list[tuple[str, PolicyError]]


def _problem(
    key: str, template: str, code: str, clauses: tuple[str, ...] = (), **params: Any
) -> tuple[str, PolicyError]:
    return key, PolicyError(template, code=code, field=key, clauses=clauses, params=params)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[；;\n]+", text) if item.strip()]


def _choice(key: str, value: Any, problems: Problems, choices: Choices) -> str:
    text = _text(value)
    if not text:
        return ""
    code = choices.code(text)
    if code is None:
        template = gettext_noop("%(value)s is not one of: %(allowed)s.")
        allowed = "、".join(choices.offered())
        problems.append(_problem(key, template, "choice", value=text, allowed=allowed))
    return code or ""


def _date_text(value: Any) -> str:
    if isinstance(value, int | float) and 10_000 <= value <= 100_000:
        return from_excel(value).date().isoformat()  # an Excel date without its format
    text = _text(value)
    found = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text
    ) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if found:
        try:
            return date(*(int(g) for g in found.groups())).isoformat()
        except ValueError:
            return text  # the validation names the impossible date
    return text


def _shares(key: str, text: str, problems: Problems, person: bool) -> list[dict[str, str]]:
    items = _items(text)
    result = []
    for item in items:
        found = re.fullmatch(r"(.*?)\s*[:：]\s*([^:：]*)", item)
        name, share = (found.group(1), found.group(2)) if found else (item, "")
        if not share and len(items) == 1:
            share = "100"
        elif not share:
            template = gettext_noop("%(item)s lacks its share: write it as %(example)s.")
            example = BY_KEY[key].example
            problems.append(_problem(key, template, "import.share_missing", item=item,
                                     example=example))  # fmt: skip
        entry = {"name": name, "share": share}
        unit = re.fullmatch(r"(.*?)\s*[(（]\s*(.*?)\s*[)）]", name) if person else None
        if unit:
            entry.update(name=unit.group(1), unit_name=unit.group(2))
        result.append(entry)
    return result


def _ip_rights(text: str, problems: Problems) -> list[dict[str, str]]:
    rights = []
    for item in _items(text):
        parts = [p.strip() for p in re.split(r"[|｜]", item)] + [""] * 4
        kind = _choice("ip_rights", parts[0], problems, IP_KINDS)
        status = _choice("ip_rights", parts[2], problems, IP_STATUSES) or "pending"
        rights.append(
            {
                "kind": kind or parts[0],
                "number": parts[1],
                "status": status,
                "grant_date": _date_text(parts[3]),
                "title": parts[4],
            }
        )
    return rights


TEXT_KEYS = ("external_ref", "name", "keywords", "abstract", "discipline_code", "industry_code",
             "trl", "project_number", "asking_terms", "advantage", "target_market",
             "route_to_market")  # fmt: skip


def _raw(cells: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The row's cells in the shape ``validate_achievement`` reads; cell-level problems (a value
    not in a list, a share left out) are added to ``problems``."""
    secrecy = _choice("confidentiality", cells.get("confidentiality"), problems, SECRECY)
    if secrecy == "classified":
        return {"confidentiality": secrecy}  # refused at the door: nothing else is read (M8.6)
    if not _text(cells.get("confidentiality")):
        template = gettext_noop("This field is required.")
        problems.append(_problem("confidentiality", template, "required"))
    raw: dict[str, Any] = {key: _text(cells.get(key)) for key in TEXT_KEYS}
    raw["confidentiality"] = secrecy
    for key, choices in (("achievement_type", TYPES), ("attribute", ATTRIBUTES),
                         ("evaluation_level", LEVELS)):  # fmt: skip
        raw[key] = _choice(key, cells.get(key), problems, choices)
    for key in ("national_interest", "use_first_pay_later"):
        raw[key] = _choice(key, cells.get(key), problems, YES_NO) == "yes"
    raw["transformation_modes"] = [
        _choice("transformation_modes", m, problems, MODES)
        for m in _items(_text(cells.get("transformation_modes")).replace("、", "；"))
    ]
    raw["formation_date"] = _date_text(cells.get("formation_date"))
    raw["units"] = _shares("units", _text(cells.get("units")), problems, person=False)
    raw["completers"] = _shares("completers", _text(cells.get("completers")), problems, True)
    raw["ip_rights"] = _ip_rights(_text(cells.get("ip_rights")), problems)
    english = {k: _text(cells.get(f"{k}_en")) for k in ("name", "abstract", "keywords")}
    raw["translations"] = [{"language": "en", **english}] if any(english.values()) else []
    return raw
