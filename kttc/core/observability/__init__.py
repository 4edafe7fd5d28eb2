"""Health, metrics and structured logs: what a load balancer, Prometheus and a log collector read.

- ``/health/live`` answers 200 while the process runs (no database); ``/health/ready`` checks the
  database (one trivial query), the broker when ``KTTC_BROKER_URL`` is set, and each part's own
  checks (``kttc.<part>.health.checks()``: the search index). Both are answered by
  :class:`~kttc.core.observability.middleware.ObservabilityMiddleware` before any other
  middleware, so no session, host check, redirect to https or sign-in stands in a probe's way.
- ``/metrics`` (Prometheus text format) is served only with ``KTTC_METRICS_TOKEN`` set and the
  request carrying ``Authorization: Bearer <token>``; otherwise it is the site's plain 404.
- Every request gets a request id (``X-Request-ID``, an incoming sane one is kept) and, with
  ``KTTC_LOG_FORMAT=json`` (the production default), one JSON line on stderr.
"""
