"""Pickers for national codes: found by code, by Chinese or by English name; chosen codes named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.core import codes
from kttc.policy import classifications


def _codes(found):
    return [c.code for c in found]


def test_every_division_belongs_to_the_section_of_its_range():
    assert len(classifications.INDUSTRY_DIVISIONS) == 97
    industries = codes.SCHEMES["industry"]
    for code in industries:
        if code.level == 2:
            assert classifications.industry_section(int(code.code[1:])) == code.code[0]
    assert len(industries) == 97 + 20


@pytest.mark.parametrize(
    ("scheme", "query", "first"),
    [
        ("industry", "C35", "C35"),
        ("industry", "35", "C35"),
        ("industry", "专用设备", "C35"),
        ("industry", "special-purpose machinery", "C35"),
        ("industry", "Machinery Special-purpose", "C35"),  # words in any order and case
        ("industry", "医药", "C27"),
        ("discipline", "520", "520"),
        ("discipline", "计算机", "520"),
        ("discipline", "computer science", "520"),
    ],
)
def test_a_code_is_found_by_code_or_by_name_in_either_language(scheme, query, first):
    assert _codes(codes.search(scheme, query))[0] == first


def test_a_query_matching_nothing_finds_nothing_and_results_are_bounded():
    assert codes.search("industry", "zzzz-no-such-industry") == []
    assert len(codes.search("industry", "制造")) == codes.SHOWN
    assert len(codes.search("industry", "制造", limit=None)) > codes.SHOWN


def test_a_code_typed_is_named_at_its_most_precise_known_level():
    assert codes.describe("industry", "C3562", "zh-hans") == "制造业 › 专用设备制造业"
    assert codes.describe("industry", "3562", "en") == (
        "Manufacturing › Manufacture of special-purpose machinery"
    )
    assert codes.describe("industry", "A35", "zh-hans") == ""  # 35 is not agriculture's
    assert codes.describe("discipline", "5202010", "zh-hans") == "计算机科学技术"
    assert codes.describe("discipline", "52", "zh-hans") == ""


@pytest.mark.django_db
def test_the_options_answer_lists_buttons_that_pick_the_code(client):
    url = reverse("codes:options", args=["industry"])
    html = client.get(url, {"field": "industry_code", "id": "id_industry_code",
                            "industry_code": "医药"}).content.decode()  # fmt: skip
    assert "C27" in html and "医药制造业" in html
    assert "code=C27" in html and 'hx-target="#id_industry_code-picker"' in html
    empty = client.get(url, {"field": "industry_code", "id": "id_industry_code",
                             "industry_code": "qqqq"}).content.decode()  # fmt: skip
    assert "qqqq" in empty and "<button" not in empty


@pytest.mark.django_db
def test_picking_renders_the_picker_with_the_code_and_its_name(client):
    response = client.get(
        reverse("codes:pick", args=["industry"]),
        {"field": "dist-industry_code", "id": "id_dist-industry_code", "code": "C27"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="dist-industry_code"' in html and 'value="C27"' in html
    assert "医药制造业" in html and "autofocus" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "params"),
    [
        ("codes:list", ["colour"], {}),
        ("codes:options", ["industry"], {"field": "a b", "id": "x"}),
        ("codes:options", ["industry"], {"field": "f", "id": '"><script>'}),
        ("codes:pick", ["industry"], {"field": "f", "id": "x", "code": "C99"}),
        ("codes:pick", ["discipline"], {"field": "f", "id": "x", "code": "<b>"}),
    ],
)
def test_bad_requests_are_not_found(client, name, args, params):
    assert client.get(reverse(name, args=args), params).status_code == 404


@pytest.mark.django_db
def test_the_list_of_codes_is_public_and_searchable(client):
    html = client.get(reverse("codes:list", args=["industry"]), {"q": "软件"}).content.decode()
    assert "I65" in html and "软件和信息技术服务业" in html
    assert "C27" not in html
