"""Pages of researcher shareholding (M6.1) and the state equity ledger (M2)."""

from django.urls import path

from kttc.benefits import views_equity as views

app_name = "equity"
urlpatterns = [
    path("", views.investments, name="list"),
    path("new/", views.investment_new, name="new"),
    path("<int:pk>/", views.investment, name="detail"),
    path("approvals/", views.approvals, name="approvals"),
    path("preservation/", views.preservation, name="preservation"),
]
