"""Pages of "invest first, equity later" (M7)."""

from django.urls import path  # noqa: F401

app_name = "invest"
urlpatterns: list[object] = []
