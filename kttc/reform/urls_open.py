"""Time-limited transformation (M4.4): the open licensing list, recorded transformations and
justifications."""

from django.urls import path  # noqa: F401

app_name = "transformation"
urlpatterns: list[object] = []
