"""Pages of researcher shareholding (M6.1), routed with the state equity pages under
/office/equity/ (namespace ``equity``) by ``kttc.benefits.state_equity.urls``."""

from django.urls import path

from kttc.benefits.shareholding import views

urlpatterns = [
    path("", views.investments, name="list"),
    path("new/", views.investment_new, name="new"),
]
