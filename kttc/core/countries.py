"""Countries and regions by ISO 3166-1 alpha-2, named in the reader's language (pycountry's
ISO 3166 list and its translations). Organisations from the Chinese mainland (``CN``) carry a
unified social credit code; every other one its national registration number."""

from __future__ import annotations

import functools
import gettext as gnu_gettext
from collections.abc import Callable
from typing import Any

import pycountry
from django.utils import translation

from kttc.core.models import CHINA

#: How this platform names the regions of China that have their own registers (pycountry's
#: English names follow ISO's wording; the Chinese ones are the platform's).
_OWN_NAMES = {
    "HK": ("Hong Kong, China", "中国香港"),
    "MO": ("Macao, China", "中国澳门"),
    "TW": ("Taiwan, China", "中国台湾"),
    "CN": ("China (mainland)", "中国（大陆）"),
}


@functools.cache
def _codes() -> tuple[str, ...]:
    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


#: The same regions in the other languages of the platform (vi, th, lo, my, km), in that order.
_OWN_NAMES_MORE = {
    "CN": ("Trung Quốc (đại lục)", "จีน (แผ่นดินใหญ่)", "ຈີນ (ແຜ່ນດິນໃຫຍ່)", "တရုတ် (ပြည်မ)", "ចិន (ដីគោក)"),
    "HK": ("Hồng Kông, Trung Quốc", "ฮ่องกง, จีน", "ຮົງກົງ, ຈີນ", "ဟောင်ကောင်၊ တရုတ်", "ហុងកុង ចិន"),
    "MO": ("Ma Cao, Trung Quốc", "มาเก๊า, จีน", "ມາເກົ໊າ, ຈີນ", "မကာအို၊ တရုတ်", "ម៉ាកាវ ចិន"),
    "TW": ("Đài Loan, Trung Quốc", "ไต้หวัน, จีน", "ໄຕ້ຫວັນ, ຈີນ", "ထိုင်ဝမ်၊ တရုတ်", "តៃវ៉ាន់ ចិន"),
}
_MORE_LANGUAGES = ("vi", "th", "lo", "my", "km")
#: Where the ISO catalogs' Chinese misspells a neighbour's name.
_CHINESE_FIXES = {"KH": "柬埔寨"}


def _translated(translate: Callable[[str], str], country: Any) -> str:
    """The country's common name (Laos), else its name (Lao People's Democratic Republic), in
    the catalog's language where translated, in English otherwise."""
    common = getattr(country, "common_name", None)
    for name in (common, country.name):
        if name and translate(name) != name:
            return translate(name)
    return str(common or country.name)


@functools.cache
def _names(language: str) -> dict[str, str]:
    code = language.lower()
    chinese = code.startswith("zh")
    more = next((i for i, lang in enumerate(_MORE_LANGUAGES) if code.startswith(lang)), None)
    catalog = "zh_CN" if chinese else (_MORE_LANGUAGES[more] if more is not None else "")
    translate: Callable[[str], str] = (
        gnu_gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[catalog], fallback=True
        ).gettext
        if catalog
        else str
    )
    names = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        if chinese:
            names[country.alpha_2] = _CHINESE_FIXES.get(country.alpha_2) or translate(country.name)
        elif more is not None:
            names[country.alpha_2] = _translated(translate, country)
        else:
            names[country.alpha_2] = english
    for region, (english, chinese_name) in _OWN_NAMES.items():
        if chinese:
            names[region] = chinese_name
        elif more is not None:
            names[region] = _OWN_NAMES_MORE[region][more]
        else:
            names[region] = english
    return names


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (upper case)."""
    return code in _codes()


def country_name(code: str, language: str | None = None) -> str:
    """The name of ``code`` in ``language`` (the active one by default); the code if unknown."""
    return _names(language or translation.get_language() or "zh-hans").get(code, code)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for a select: the Chinese mainland first, then the rest by name."""
    names = _names(language or translation.get_language() or "zh-hans")
    rest = sorted((c for c in names if c != CHINA), key=lambda c: names[c])
    return [(CHINA, names[CHINA]), *((c, names[c]) for c in rest)]


#: The language an organisation of a country writes its own name in, where the platform speaks it.
NAME_LANGUAGE = {"CN": "zh-Hans", "VN": "vi", "TH": "th", "LA": "lo", "MM": "my", "KH": "km"}


def name_for_reader(name: str, name_en: str, country: str, language: str) -> tuple[str, str]:
    """An organisation's name as a reader of ``language`` reads it, with the language it is
    written in ("" when unknown): its own name where the reader writes its language (a Chinese
    reader reads a Chinese unit's name, a Lao reader a Lao enterprise's), its English name for
    any other reader where it has one, its own name otherwise."""
    own = NAME_LANGUAGE.get(country, "")
    reader = language.lower()
    if own and reader.startswith(own.lower()[:2]):
        return name, own
    if name_en and not reader.startswith("zh"):
        return name_en, "en"
    return name, own
