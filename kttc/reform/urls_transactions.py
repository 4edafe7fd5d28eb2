"""The public transaction page (M8.5)."""

from django.urls import path  # noqa: F401

app_name = "transactions"
urlpatterns: list[object] = []
