"""GB/T 13745, GB/T 4754 and GB/T 22900 codes have names for readers, Chinese and English."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import classifications as c


def test_every_first_level_discipline_and_section_has_both_names() -> None:
    assert len(c.DISCIPLINES) == 62
    assert set(c.INDUSTRY_SECTION_NAMES) == set(c.INDUSTRY_SECTIONS)
    for names in [*c.DISCIPLINES.values(), *c.INDUSTRY_SECTION_NAMES.values()]:
        assert all(names) and names[0] != names[1]
    assert set(c.READINESS_LEVELS) == set(range(1, 10))


def test_names_follow_the_reader_and_the_code() -> None:
    assert c.discipline_name("5202010", "zh-hans") == "计算机科学技术"
    assert c.discipline_name("520.20", "en") == "Computer science and technology"
    assert c.discipline_name("999", "en") is None
    assert c.industry_name("C2710", "zh-hans") == "制造业"
    assert c.industry_name("2710", "en") == "Manufacturing"
    vietnamese = "Truyền dẫn thông tin, phần mềm và dịch vụ công nghệ thông tin"
    assert c.industry_name("I", "vi") == vietnamese  # the platform's Vietnamese name
    assert c.industry_name("", "en") is None and c.industry_name("99", "en") is None
    assert c.readiness_name(7, "zh-hans") == "系统样机在实际环境中试验"
    assert c.readiness_name("x", "en") is None and c.readiness_name(10, "en") is None


@given(st.text(max_size=8), st.sampled_from(["zh-hans", "en"]))
def test_any_text_as_a_code_has_a_name_or_none_never_an_error(code: str, language: str) -> None:
    # "²" is a digit to str.isdigit() but no number to int(): the catalog's facets read such
    # values straight from a query string.
    for name_of in (c.industry_name, c.discipline_name, c.readiness_name):
        name = name_of(code, language)
        assert name is None or isinstance(name, str)
    assert c.industry_name("²", "en") is None
