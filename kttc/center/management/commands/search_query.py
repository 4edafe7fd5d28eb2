"""``kttc search_query "文本"``: a quick look at what the catalog's search finds."""

from __future__ import annotations

import re
import time
from typing import Any

from django.core.management.base import BaseCommand

from kttc.center import search
from kttc.center.search.base import FACETS, SearchQuery

_MARK = re.compile(r"</?mark>")


class Command(BaseCommand):
    help = "Search the public catalog's index and print the hits, snippets and facet counts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("text", nargs="?", default="")
        parser.add_argument("--sort", choices=("relevance", "newest", "trl"), default="relevance")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--language", default="zh-hans")
        for facet in FACETS:
            parser.add_argument(f"--{facet.replace('_', '-')}", action="append", dest=facet)
        parser.add_argument("--no-facets", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        query = SearchQuery(
            text=options["text"],
            filters={f: options[f] for f in FACETS if options.get(f)},
            sort=options["sort"],
            offset=(max(1, options["page"]) - 1) * options["limit"],
            limit=options["limit"],
            language=options["language"],
            with_facets=not options["no_facets"],
        )
        start = time.perf_counter()
        result = search.search(query)
        ms = (time.perf_counter() - start) * 1000
        self.stdout.write(f"{result.total:,} found in {ms:.1f} ms")
        for n, hit in enumerate(result.hits, start=query.offset + 1):
            name = self._bold(hit.snippets.get("name", ""))
            self.stdout.write(f"{n:>4}. [{hit.id}] {name}  ({hit.score:.2f})")
            abstract = hit.snippets.get("abstract")
            if abstract:
                self.stdout.write(f"      {self._bold(abstract)}")
        for facet, values in result.facets.items():
            if values:
                shown = ", ".join(f"{v} {n}" for v, n in values[:12])
                self.stdout.write(f"  {facet}: {shown}")

    def _bold(self, snippet: str) -> str:
        import html

        return html.unescape(_MARK.sub("*", snippet))
