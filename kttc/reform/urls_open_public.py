"""The public open licensing list (M4.4)."""

from django.urls import path  # noqa: F401

app_name = "open_licensing"
urlpatterns: list[object] = []
