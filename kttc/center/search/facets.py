"""Facet values of a document, and their counts from tantivy's terms aggregation.

Each facet's values are indexed as raw terms for filtering. Counting is done on a few
single-valued u64 fast fields, *count groups*, because the aggregation costs per document and per
field (measured over 700,000 matches of 1M documents: 23 ms for a multi-valued string column,
about 1.5 ms for a single-valued one; a string column also costs a dictionary lookup per value
counted, even for a rare word):

- a multi-valued facet (IP kinds, licensing) is counted from a bit mask per document: the
  aggregation counts each combination and the counts are split per value here;
- two small facets share one field, their codes in mixed radix (discipline 520 and readiness 7
  give 5207): one pass counts the pairs (a few hundred in practice) and each facet's counts are
  the sums. Seven facets take four passes.

Every document has exactly one value in every group, so the counts of any group add up to the
number of matches (``total``), which spares the ranked search from counting.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from kttc.center.search.base import FACETS, SearchDoc

USE_FIRST_PAY_LATER = "use_first_pay_later"
#: The bit of each value of a multi-valued facet. Append only (the masks are in the index), and
#: six values at most for IP kinds, five for licensing (``RADIX``).
BITS: dict[str, tuple[str, ...]] = {
    "ip_kind": (
        "invention",
        "utility_model",
        "design",
        "software_copyright",
        "plant_variety",
        "other",
    ),
    "licensing": ("transfer", "licence", "equity", "joint_development", USE_FIRST_PAY_LATER),
}
#: Count group field -> the facets it counts, most significant first. tantivy counts a u64 column
#: in an array while its values stay below about 16,000 (a hash map beyond, twice as slow), so
#: the pairs are chosen to keep their codes small: 999 disciplines x 10 levels, 200 years x 64
#: IP combinations, 32 industries x 32 licensing combinations.
GROUPS: dict[str, tuple[str, ...]] = {
    "c_discipline_trl": ("discipline", "trl"),
    "c_year_ip_kind": ("year", "ip_kind"),
    "c_industry_licensing": ("industry", "licensing"),
    "c_unit": ("unit",),
}
GROUP_OF = {facet: group for group, members in GROUPS.items() for facet in members}
#: Facet name -> the field its filters use (raw terms).
FILTER_FIELDS = {facet: f"f_{facet}" for facet in FACETS}
#: At most this many units are counted and shown (selected ones always are); the other groups
#: have far fewer values than ``GROUP_SIZE`` and are counted whole.
SIZE = 100
GROUP_SIZE = 5000
#: Facets whose values read best in their own order rather than by count (True: descending).
VALUE_ORDER = {"trl": False, "year": True}
#: The range of each facet's code in a group value (a facet alone in its group needs none).
RADIX = {"discipline": 1000, "trl": 10, "year": 200, "ip_kind": 64, "industry": 32, "licensing": 32}
#: Years are coded from 1900 (1901 is 1; 2099 is 199).
YEAR_ZERO = 1900


def values(doc: SearchDoc) -> dict[str, list[str]]:
    """Each facet's values of a document, as filters and counts know them."""
    return {
        "discipline": [doc.discipline[:3]] if doc.discipline else [],
        "industry": [doc.industry[:1]] if doc.industry else [],
        "trl": [str(doc.trl)],
        "ip_kind": sorted(set(doc.ip_kinds)),
        "licensing": sorted(set(doc.licensing)),
        "unit": [str(doc.unit_id)],
        "year": [str(doc.year)],
    }


def mask(facet: str, chosen: Sequence[str]) -> int:
    """The bit mask of a multi-valued facet's values (values outside ``BITS`` are not counted)."""
    bits = BITS[facet]
    return sum(1 << bits.index(v) for v in set(chosen) if v in bits)


def _code(facet: str, chosen: Sequence[str]) -> int:
    """One facet's part of a group value: 0 for none (or for a value the group cannot hold)."""
    if facet in BITS:
        return mask(facet, chosen)
    value = chosen[0] if chosen else ""
    if facet == "industry":
        return ord(value) - 64 if len(value) == 1 and "A" <= value <= "Z" else 0
    digits = {"trl": 1, "year": 4, "discipline": 3}.get(facet)
    if not value.isascii() or not value.isdigit() or (digits and len(value) != digits):
        return 0
    if facet == "year":
        code = int(value) - YEAR_ZERO
        return code if 0 < code < RADIX["year"] else 0
    return int(value)


def _value(facet: str, code: int) -> str:
    if facet == "industry":
        return chr(code + 64)
    if facet == "discipline":
        return f"{code:03d}"
    if facet == "year":
        return str(code + YEAR_ZERO)
    return str(code)


def group_values(doc_values: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Each count group's one value for a document: its facets' codes in mixed radix."""
    out = {}
    for group, members in GROUPS.items():
        value = 0
        for facet in members:
            value = value * RADIX.get(facet, 1) + _code(facet, doc_values.get(facet) or [])
        out[group] = value
    return out


def request(facets: Sequence[str]) -> dict[str, Any]:
    """The aggregation request counting ``facets`` (through their groups)."""
    groups = dict.fromkeys(GROUP_OF[f] for f in facets)
    return {
        group: {"terms": {"field": group, "size": SIZE if group == "c_unit" else GROUP_SIZE}}
        for group in groups
    }


def counts(result: Mapping[str, Any], facets: Sequence[str]) -> dict[str, dict[str, int]]:
    """Value -> count for each of ``facets``, from an aggregation's result."""
    out: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for group in dict.fromkeys(GROUP_OF[f] for f in facets):
        for bucket in result[group]["buckets"]:
            n = int(bucket["doc_count"])
            for facet, value in _parts(group, int(bucket["key"])):
                found = out.get(facet)
                if found is not None:
                    found[value] = found.get(value, 0) + n
    return out


@functools.lru_cache(maxsize=65_536)
def _parts(group: str, key: int) -> tuple[tuple[str, str], ...]:
    """The (facet, value) pairs a group's value stands for (a mask gives one pair per bit)."""
    pairs: list[tuple[str, str]] = []
    for facet in reversed(GROUPS[group]):
        radix = RADIX.get(facet)
        key, code = divmod(key, radix) if radix else (0, key)
        if code == 0:
            continue
        if facet in BITS:
            pairs += [(facet, v) for bit, v in enumerate(BITS[facet]) if code & (1 << bit)]
        else:
            pairs.append((facet, _value(facet, code)))
    return tuple(pairs)


def total(result: Mapping[str, Any]) -> int | None:
    """How many documents an aggregation saw: every document has one value in each group (a
    group counted whole is preferred; the units' remainder is in ``sum_other_doc_count``)."""
    for group in sorted(result, key=lambda g: g == "c_unit"):
        part = result[group]
        counted = sum(int(b["doc_count"]) for b in part["buckets"])
        return counted + int(part.get("sum_other_doc_count") or 0)
    return None


def ordered(facet: str, found: Mapping[str, int]) -> list[tuple[str, int]]:
    """Most frequent first; readiness levels and years in their own order."""
    if facet in VALUE_ORDER:
        return sorted(found.items(), key=lambda item: _natural(item[0]), reverse=VALUE_ORDER[facet])
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def _natural(value: str) -> tuple[int, str]:
    return (int(value), value) if value.isdigit() else (0, value)


def clean_filters(filters: Mapping[str, Any]) -> dict[str, list[str]]:
    """Known facets only, values as strings, empty ones dropped; unknown facets are ignored."""
    clean: dict[str, list[str]] = {}
    for facet in FACETS:
        chosen = filters.get(facet) or ()
        if isinstance(chosen, str | int):
            chosen = [chosen]
        kept = [str(v) for v in chosen if str(v) != ""]
        if kept:
            clean[facet] = list(dict.fromkeys(kept))[:50]
    return clean
