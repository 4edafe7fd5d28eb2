"""Routes of the probes (answered first by the middleware) and of ``/metrics``."""

from django.urls import path

from kttc.core.observability import health, metrics

urlpatterns = [
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
