"""The names of the national codes in every language the platform speaks: Chinese and English in
the module, the others in ``kttc/policy/data/code_names.<language>.tsv``, each naming every code."""

from __future__ import annotations

import pytest

from kttc.policy import classifications as c

LANGUAGES = ("vi", "th", "lo", "my", "km")


def _codes() -> set[tuple[str, str]]:
    return (
        {("discipline", k) for k in c.DISCIPLINES}
        | {("industry_section", k) for k in c.INDUSTRY_SECTION_NAMES}
        | {("industry_division", k) for k in c.INDUSTRY_DIVISIONS}
        | {("readiness", str(k)) for k in c.READINESS_LEVELS}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_has_a_name_in_each_language(language: str) -> None:
    names = c._names_in(language)
    assert set(names) == _codes()
    assert all(name.strip() == name and name for name in names.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_gets_the_name_in_her_language(language: str) -> None:
    own = c._names_in(language)
    assert c.discipline_name("5202010", language) == own[("discipline", "520")]
    assert c.industry_name("C3562", language) == own[("industry_section", "C")]
    assert c.industry_division_name("C3562", language) == own[("industry_division", "35")]
    assert c.readiness_name(6, language) == own[("readiness", "6")]
    chinese_or_english = ("计算机科学技术", "Computer science and technology")
    assert c.discipline_name("520", language) not in chinese_or_english


def test_chinese_english_and_an_unknown_language() -> None:
    assert c.discipline_name("520", "zh-hans") == "计算机科学技术"
    assert c.discipline_name("520", "en") == "Computer science and technology"
    assert c.discipline_name("520", "xx") == "Computer science and technology"  # no data: English
