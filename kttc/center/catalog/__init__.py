"""M8.2, M8.3: the public catalog: search with facets, detail, export, the promotion list and
major releases, a feed and a sitemap."""
