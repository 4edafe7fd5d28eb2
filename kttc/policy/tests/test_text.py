"""Typed text holds no control characters and no bidirectional overrides."""

from __future__ import annotations

import pytest

from kttc.policy.errors import PolicyError
from kttc.policy.text import check_text, forbidden_character, printable

REFUSED = ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066",
           "\u2069", "\ufeff", "\ufffe", "\u2028", "\ud800"]  # fmt: skip


@pytest.mark.parametrize("char", REFUSED)
def test_a_control_character_is_refused_naming_the_field_and_the_character(char: str) -> None:
    with pytest.raises(PolicyError) as refused:
        check_text(f"石墨烯{char}导热膜", field="name")
    assert refused.value.field == "name"
    assert refused.value.code == "text.control_character"
    assert refused.value.params == {"character": f"U+{ord(char):04X}", "position": 4}


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_line_breaks_only_in_a_text_of_several_lines(char: str) -> None:
    assert check_text(f"第一行{char}第二行", field="abstract", multiline=True)
    with pytest.raises(PolicyError):
        check_text(f"名称{char}", field="name")


@pytest.mark.parametrize(
    "text",
    ["石墨烯导热膜", "Pu'er tea", "Nguyễn Văn Á", "ภาษาไทย", "ພາສາລາວ", "မြန်မာ", "ខ្មែរ",
     "العربية\u200f", "👩\u200d🔬 team", "= + - @", ""],
)  # fmt: skip
def test_the_platforms_languages_and_emoji_pass(text: str) -> None:
    assert forbidden_character(text) is None
    assert check_text(text, field="name") == text


def test_printable_leaves_out_what_cannot_be_shown_and_keeps_line_breaks() -> None:
    assert printable("a\x00b\x1bc\u202ed\n\te") == "abcd\n\te"
    assert printable("石墨烯") == "石墨烯"
