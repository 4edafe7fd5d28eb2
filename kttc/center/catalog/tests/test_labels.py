"""Readable everywhere: the catalog's facets and a result's page name the discipline
(GB/T 13745), the industry (GB/T 4754), the readiness level (GB/T 22900), the IP kind and the
ways of transformation in the reader's language, the code kept beside or in a tooltip; no clause
id stands in a public heading."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _facet(page: str, label: str) -> bool:
    return re.search(r'class="facet-value[^"]*"[^>]*>\s*' + re.escape(label), page) is not None


@pytest.mark.parametrize(
    ("language", "discipline", "industry", "trl", "mode"),
    [
        ("zh-hans", "自然科学相关工程与技术", "制造业", "系统原型在相关环境中验证", "许可"),
        ("en", "Engineering related to the natural sciences", "Manufacturing",
         "System prototype demonstrated in a relevant environment", "Licence"),
    ],
)  # fmt: skip
def test_the_result_page_and_the_facets_name_the_codes(
    client, publish, language, discipline, industry, trl, mode
):
    result = publish(name="石墨烯导热膜制备技术")  # 41630, C2710, TRL 6, licence and transfer
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = client.get(reverse("catalog:detail", args=[result.pk])).content.decode()
    assert re.search(r"data-discipline>" + re.escape(discipline), page)
    assert '<small title="GB/T 13745"><code>41630</code></small>' in page
    assert re.search(r"data-industry>" + re.escape(industry), page)
    assert re.search(r"data-readiness[^>]*>6 · " + re.escape(trl), page)
    assert re.search(r"data-modes>[^<]*" + re.escape(mode), page)
    assert "licence, transfer" not in page
    assert not re.search(r"<h[1-6][^>]*>[^<]*M\d+\.\d", page)
    catalog = client.get(reverse("catalog:list")).content.decode()
    assert _facet(catalog, discipline) and 'title="416"' in catalog
    assert _facet(catalog, industry) and 'title="C"' in catalog
    assert _facet(catalog, f"6 · {trl}")


@pytest.mark.parametrize("name", ["catalog:promoted", "catalog:releases", "transactions:list",
                                  "open_licensing:list"])  # fmt: skip
def test_public_headings_keep_clause_ids_in_a_tooltip(client, name):
    page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not re.search(r"<h[1-6][^>]*>[^<]*M\d+\.\d", page)
    assert re.search(r'<h1 title="M\d+\.\d', page)
