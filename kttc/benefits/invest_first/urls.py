"""Pages of "invest first, equity later" (M7)."""

from django.urls import path

from kttc.benefits.invest_first import views

app_name = "invest"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.grant, name="grant"),
    path("<int:pk>/", views.case, name="case"),
]
