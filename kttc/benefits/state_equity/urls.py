"""Pages of researcher shareholding (M6.1) and the state equity ledger (M2) under /office/equity/:
the investments and a new one are shareholding's; an investment's page with its ledger, the
bureau's approvals and the value preservation report are state equity's, which sits above."""

from django.urls import path

from kttc.benefits.shareholding import urls as shareholding
from kttc.benefits.state_equity import views

app_name = "equity"
urlpatterns = [
    *shareholding.urlpatterns,
    path("<int:pk>/", views.investment, name="detail"),
    path("approvals/", views.approvals, name="approvals"),
    path("preservation/", views.preservation, name="preservation"),
]
