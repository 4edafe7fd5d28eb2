"""Search of the public catalog (M8.2, M8.3): Chinese and English, ranked, highlighted, faceted.

``kttc.center.search.base`` defines the seam (``SearchBackend`` with ``SearchDoc``,
``SearchQuery``, ``SearchResult``); ``kttc.center.search.backend()`` returns the engine in use.
The embedded engine keeps a tantivy index under ``settings.KTTC_SEARCH_DIR`` in step with the
database; an OpenSearch backend with a Chinese analyzer can take its place behind the same seam
when one machine is outgrown.
"""
