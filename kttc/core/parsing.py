"""The one way the pages and the API read an id, a page number or a small integer from a request
(DESIGN rule 10): ASCII digits only (``"²".isdigit()`` is true, ``int("²")`` fails), within the
database's integers, and bounded.

A page answers a malformed id with 404 (``id_or_404``) or ignores a malformed list filter
(``optional_id``); a page number out of range is clamped. The API declares its integers with these
bounds (``ApiId``, ``ApiPage``, ``Pages``) so that pydantic refuses the others with 422 naming the
field, in the API's one error shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

ID_MAX = 2**63 - 1  # BigAutoField, on SQLite and PostgreSQL alike
PAGE_MAX = 10_000  # further than any list goes; keeps the row offset far within the database's


def integer(value: object, *, minimum: int, maximum: int) -> int | None:
    """``value`` as an integer within [minimum, maximum], or None: an optional minus sign and
    ASCII digits only, surrounding blanks ignored."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        digits = text[1:] if text.startswith("-") else text
        if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 19:
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A positive id within the database's integers, or None."""
    return integer(value, minimum=1, maximum=ID_MAX)


def id_or_404(value: object) -> int:
    """A positive id, or 404: for an id a form or a link sent that cannot name any row."""
    found = parse_id(value)
    if found is None:
        raise Http404
    return found


def optional_id(params: Mapping[str, Any], name: str) -> int | None:
    """A list filter's id (``?unit=``), or None when absent or malformed (the filter is ignored)."""
    return parse_id(params.get(name))


def ids(values: list[str]) -> list[int]:
    """The well-formed ids among ``values`` (checkboxes of a list), the others dropped."""
    return [n for n in (parse_id(v) for v in values) if n is not None]


def page_number(value: object, maximum: int = PAGE_MAX) -> int:
    """A page number clamped to [1, maximum]; 1 for anything that is not a number."""
    text = str(value if value is not None else "").strip()
    if text.isascii() and text.isdigit() and len(text) > 19:
        return maximum  # beyond any integer the database holds, past the last page
    number = integer(value, minimum=-ID_MAX, maximum=ID_MAX)
    if number is None or number < 1:
        return 1
    return min(number, maximum)


def page_of(rows: Any, params: Mapping[str, Any], name: str = "page", per_page: int = 0) -> Page:
    """The page of ``rows`` a request asks for (``?page=``), clamped to the pages there are."""
    paginator = Paginator(rows, per_page or settings.KTTC_PAGE_SIZE)
    return paginator.get_page(page_number(params.get(name)))


# --- the API -------------------------------------------------------------------------------

ApiId = Annotated[int, Field(ge=1, le=ID_MAX)]
ApiPage = Annotated[int, Field(ge=1, le=PAGE_MAX)]
#: A whole number of an API body (shares, years, months, days): any the database can hold; what
#: the measures allow is the policy's to say, citing its clause.
ApiInt = Annotated[int, Field(ge=-ID_MAX, le=ID_MAX)]


class Pages(PageNumberPagination):
    """The API's page-number pagination, its page bounded (422 beyond ``PAGE_MAX``)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1, le=100)
