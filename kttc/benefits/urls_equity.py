"""Pages of researcher shareholding (M6.1) and the state equity ledger (M2)."""

from django.urls import path  # noqa: F401

app_name = "equity"
urlpatterns: list[object] = []
