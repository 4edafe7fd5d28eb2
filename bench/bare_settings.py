"""A bare Django view beside the platform, for bench/load_bench.py: the platform's own settings
(the same middleware, sessions, locale, security headers), with one URL answering a short text
without touching the database. Served the same way as the platform:

    DJANGO_SETTINGS_MODULE=bare_settings kttc web --pythonpath bench
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bare_settings"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("bare Django view\n", content_type="text/plain")


urlpatterns = [path("bare/", bare)]
