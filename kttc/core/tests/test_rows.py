"""Row editors: a list entered a line at a time, added to and removed from without losing what
was typed, pasted from a spreadsheet, each error naming its line and column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kttc.core import rows
from kttc.core.rows import Column, RowsField
from kttc.core.text import TextGuardMixin


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


COLUMNS = [
    Column("name", "Name", forms.CharField(max_length=20)),
    Column("share", "Share", forms.DecimalField(max_digits=7, decimal_places=4)),
]


class TeamForm(TextGuardMixin, forms.Form):
    team = RowsField(COLUMNS, label="Team")


def posted(**values: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.appendlist(key.replace("__", "-"), item)
    return data


def test_lines_clean_to_dicts_blank_lines_left_out():
    data = {"team__count": "3", "team__0__name": "李明", "team__0__share": "60",
            "team__2__name": "赵华", "team__2__share": "40"}  # fmt: skip
    form = TeamForm(posted(**data))
    assert rows.ready(form)
    assert form.cleaned_data["team"] == [
        {"name": "李明", "share": Decimal("60")},
        {"name": "赵华", "share": Decimal("40")},
    ]


def test_each_error_names_its_line_and_column():
    data = {"team__count": "2", "team__0__name": "李明", "team__0__share": "sixty",
            "team__1__name": "", "team__1__share": "40"}  # fmt: skip
    form = TeamForm(posted(**data))
    assert not form.is_valid()
    assert form.errors["team"] == [
        "Line 1, Share: Enter a number.",
        "Line 2, Name: This field is required.",
    ]


def test_a_control_character_in_a_cell_is_refused():
    data = {"team__count": "1", "team__0__name": "李\u202e明", "team__0__share": "100"}
    form = TeamForm(posted(**data))
    assert not form.is_valid()
    assert "Line 1, Name" in form.errors["team"][0]


def test_an_empty_list_is_required():
    form = TeamForm(posted(**{"team__count": "2"}))
    assert not form.is_valid() and form.errors["team"] == ["This field is required."]


def test_add_a_line_keeps_what_was_typed_and_checks_nothing():
    data = posted(**{"team__count": "1", "team__0__name": "李明", "team__0__share": "x",
                     "_add": "team"})  # fmt: skip
    form = TeamForm(data)
    assert not rows.ready(form)
    assert form.errors == {}
    html = str(form["team"])
    assert 'name="team-count" value="2"' in html
    assert 'value="李明"' in html and 'value="x"' in html
    assert 'id="id_team-1-name" autofocus' in html


def test_remove_drops_that_line_and_renumbers_the_rest():
    data = posted(**{"team__count": "3", "team__0__name": "甲", "team__1__name": "乙",
                     "team__2__name": "丙", "_remove": "team-1"})  # fmt: skip
    form = TeamForm(data)
    assert not rows.ready(form)
    html = str(form["team"])
    assert 'name="team-count" value="2"' in html
    assert 'name="team-1-name" value="丙"' in html.replace(' id="id_team-1-name"', "")
    assert "乙" not in html


def test_pasted_spreadsheet_lines_join_the_typed_ones():
    data = posted(**{"team__count": "1", "team__0__name": "李明", "team__0__share": "50",
                     "team": "赵华\t30\n\n王芳；20\n"})  # fmt: skip
    form = TeamForm(data)
    assert rows.ready(form), form.errors
    assert [(r["name"], r["share"]) for r in form.cleaned_data["team"]] == [
        ("李明", Decimal("50")),
        ("赵华", Decimal("30")),
        ("王芳", Decimal("20")),
    ]


def test_a_huge_line_count_is_bounded():
    form = TeamForm(posted(**{"team__count": "99999999999999999999", "team__0__name": "甲",
                              "team__0__share": "1"}))  # fmt: skip
    assert rows.ready(form)
    assert len(form.cleaned_data["team"]) == 1


def test_more_lines_than_allowed_are_refused():
    text = "\n".join(f"p{i}; 1" for i in range(rows.MAX_ROWS + 1))
    form = TeamForm(posted(team=text))
    assert not form.is_valid()
    assert "At most" in form.errors["team"][0]


def test_the_initial_list_is_shown_with_room_for_one_more():
    form = TeamForm(initial={"team": [{"name": "李明", "share": "100"}]})
    html = str(form["team"])
    assert 'name="team-count" value="2"' in html
    assert 'value="李明"' in html


names = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=20
)
shares = st.decimals(min_value=0, max_value=999, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, shares), min_size=1, max_size=12))
def test_typed_and_pasted_lines_clean_to_the_same_list(lines):
    typed = posted(team__count=str(len(lines)))
    for i, (name, share) in enumerate(lines):
        typed[f"team-{i}-name"] = name
        typed[f"team-{i}-share"] = str(share)
    pasted = posted(team="\n".join(f"{name}\t{share}" for name, share in lines))
    by_typing, by_pasting = TeamForm(typed), TeamForm(pasted)
    assert by_typing.is_valid() and by_pasting.is_valid()
    expected = [{"name": name, "share": share} for name, share in lines]
    assert by_typing.cleaned_data["team"] == expected
    assert by_pasting.cleaned_data["team"] == expected


@pytest.mark.parametrize("data", [None, {}])
def test_ready_is_false_for_an_unbound_form(data):
    assert not rows.ready(TeamForm(data) if data is not None else TeamForm())


class OrderedForm(TextGuardMixin, forms.Form):
    team = RowsField(COLUMNS, label="Team", orderable=True)


def test_move_up_swaps_a_line_with_the_one_above_where_the_order_matters():
    data = {"team__count": "3", "team__0__name": "甲", "team__1__name": "乙",
            "team__2__name": "丙", "_up": "team-2"}  # fmt: skip
    form = OrderedForm(posted(**data))
    assert not rows.ready(form) and form.errors == {}
    html = str(form["team"])
    assert html.index('value="甲"') < html.index('value="丙"') < html.index('value="乙"')
    assert 'name="_up"' in html
    plain = TeamForm(posted(**data))  # a list whose order does not matter has no such button
    assert 'name="_up"' not in str(plain["team"])
    for bad in ("team-0", "team-99", "team-x", "other-1"):  # nothing above, or not a line
        kept = OrderedForm(posted(**{**data, "_up": bad}))
        rows.ready(kept)
        text = str(kept["team"])
        assert text.index('value="甲"') < text.index('value="乙"') < text.index('value="丙"')
