"""Pickers for national codes: GB/T 13745 disciplines and GB/T 4754 industries, found by code or
by name in Chinese or English, whatever the reader's language.

A picker is a text input (a code may always be typed) with, as the reader types, the codes that
match listed under it (htmx: ``options``); choosing one re-renders the picker with the code set
and its name shown (``pick``). Without a script the input stays a text input, the name of the code
is shown once the form comes back, and the page of all codes (``codes:list``) can be searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kttc.policy import classifications as codes
from kttc.policy.errors import IdentifierError

#: The most options listed under a picker as the reader types.
SHOWN = 12
#: The longest query looked at (a code or a name is far shorter).
QUERY_MAX = 60

_FIELD = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


#: The languages whose names of the codes are searched besides Chinese and English.
OTHER_LANGUAGES = ("vi", "th", "lo", "my", "km")


@dataclass(frozen=True)
class Code:
    code: str
    chinese: str
    english: str
    #: 1 for a section or a first-level discipline, 2 for a division.
    level: int
    #: the scheme's name of the code in the data (``discipline``, ``industry_division``…).
    scheme: str = ""
    key: str = ""

    def name(self, language: str) -> str:
        return codes.name_in(language, (self.chinese, self.english), self.scheme, self.key)

    @property
    def searched(self) -> str:
        """Every name of the code, lower-cased: it is found by any of them."""
        others = [self.name(language) for language in OTHER_LANGUAGES]
        return " ".join([self.chinese, self.english, *others]).lower()


def _industries() -> list[Code]:
    found = []
    for letter, (zh, en) in codes.INDUSTRY_SECTION_NAMES.items():
        found.append(Code(letter, zh, en, 1, "industry_section", letter))
        first, last = codes.INDUSTRY_SECTIONS[letter]
        for division in range(first, last + 1):
            key = f"{division:02d}"
            if key in codes.INDUSTRY_DIVISIONS:
                zh_d, en_d = codes.INDUSTRY_DIVISIONS[key]
                found.append(Code(letter + key, zh_d, en_d, 2, "industry_division", key))
    return found


def _disciplines() -> list[Code]:
    return [
        Code(code, zh, en, 1, "discipline", code) for code, (zh, en) in codes.DISCIPLINES.items()
    ]


SCHEMES: dict[str, list[Code]] = {"industry": _industries(), "discipline": _disciplines()}
TITLES = {
    "industry": _("Industry codes (GB/T 4754-2017)"),
    "discipline": _("Discipline codes (GB/T 13745-2009)"),
}


def scheme_or_404(scheme: str) -> list[Code]:
    if scheme not in SCHEMES:
        raise Http404
    return SCHEMES[scheme]


def search(scheme: str, query: str, limit: int | None = SHOWN) -> list[Code]:
    """The codes of ``scheme`` whose code starts with the query or whose name in any of the
    platform's languages contains it (every word of it, in any order); codes first, then
    names."""
    text = " ".join(query.split())[:QUERY_MAX].lower()
    entries = SCHEMES[scheme]
    if not text:
        return entries[:limit] if limit else list(entries)
    compact = text.replace(" ", "").replace(".", "").upper()
    by_code = [c for c in entries if c.code.startswith(compact) or c.code[1:].startswith(compact)]
    words = text.split()
    by_name = [
        c
        for c in entries
        if c not in by_code and all(w in c.searched for w in words)
    ]
    found = by_code + by_name
    return found[:limit] if limit else found


def describe(scheme: str, value: str, language: str) -> str:
    """The name of the code typed (its most precise known level), or "" when none is known."""
    value = (value or "").strip()
    if not value:
        return ""
    if scheme == "industry":
        try:
            code = codes.validate_industry_code(value)
        except IdentifierError:  # a code being typed: the form says what is wrong
            return ""
        section = codes.industry_name(code, language) or ""
        division = codes.industry_division_name(code, language)
        return f"{section} › {division}" if division else section
    try:
        code = codes.validate_discipline_code(value)
    except IdentifierError:
        return ""
    return codes.discipline_name(code, language) or ""


def picker_context(
    scheme: str, name: str, html_id: str, value: Any, **extra: Any
) -> dict[str, Any]:
    text = "" if value is None else str(value)
    return {
        "scheme": scheme,
        "name": name,
        "id": html_id,
        "value": text,
        "described": describe(scheme, text, get_language() or "zh-hans"),
        "options_url": reverse("codes:options", args=[scheme]),
        "list_url": reverse("codes:list", args=[scheme]),
        **extra,
    }


class CodePicker(forms.TextInput):
    """A text input for a code of ``scheme``, with its name and the matching codes under it."""

    template_name = "core/widgets/code_picker.html"

    def __init__(self, scheme: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.scheme = scheme

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        html_id = (attrs or {}).get("id") or f"id_{name}"
        described_by = context["widget"]["attrs"].get("aria-describedby", "")
        context["picker"] = picker_context(
            self.scheme, name, html_id, self.format_value(value), described_by=described_by
        )
        return context


def _field_params(request: HttpRequest) -> tuple[str, str]:
    field = request.GET.get("field", "")
    html_id = request.GET.get("id", "")
    if not _FIELD.match(field) or not _FIELD.match(html_id):
        raise Http404
    return field, html_id


@require_GET
def options(request: HttpRequest, scheme: str) -> HttpResponse:
    """The codes matching what is typed in a picker (the input's own value, named ``field``)."""
    scheme_or_404(scheme)
    field, html_id = _field_params(request)
    query = request.GET.get(field, "")[:QUERY_MAX]
    found = search(scheme, query) if query.strip() else []
    language = get_language() or "zh-hans"
    context = {
        "scheme": scheme,
        "field": field,
        "id": html_id,
        "query": query,
        "options": [(c, c.name(language)) for c in found],
    }
    return render(request, "core/codes_options.html", context)


@require_GET
def pick(request: HttpRequest, scheme: str) -> HttpResponse:
    """The picker again, with the code chosen set and named."""
    scheme_or_404(scheme)
    field, html_id = _field_params(request)
    code = request.GET.get("code", "")[:QUERY_MAX]
    if code not in {c.code for c in SCHEMES[scheme]}:
        raise Http404
    context = {
        "picker": picker_context(
            scheme, field, html_id, code, autofocus=True, described_by=f"{html_id}-help"
        )
    }
    return render(request, "core/widgets/code_picker.html", context)


@require_GET
def code_list(request: HttpRequest, scheme: str) -> HttpResponse:
    """Every code of a scheme with its Chinese and English names, searchable."""
    scheme_or_404(scheme)
    query = request.GET.get("q", "")[:QUERY_MAX]
    language = (get_language() or "zh-hans").lower()
    local = language.split("-")[0] in OTHER_LANGUAGES
    context = {
        "scheme": scheme,
        "title": TITLES[scheme],
        "query": query,
        "local": local,
        "entries": [(c, c.name(language)) for c in search(scheme, query, limit=None)],
    }
    return render(request, "core/codes.html", context)


__all__ = ["Code", "CodePicker", "describe", "search"]
