"""Back-office pages of "use first, pay later" licences (M3)."""

from django.urls import path  # noqa: F401

app_name = "licences"
urlpatterns: list[object] = []
