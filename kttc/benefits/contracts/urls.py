"""Pages of technology contracts and income distribution (M5)."""

from django.urls import path

from kttc.benefits.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contracts, name="list"),
    path("new/", views.contract_new, name="new"),
    path("<int:pk>/", views.contract, name="detail"),
    path("<int:pk>/licence-income/", views.income_from_licence, name="licence_income"),
    path("distributions/<int:pk>/", views.distribution, name="distribution"),
    path(
        "distributions/<int:pk>/statements/<int:line_id>.<str:fmt>",
        views.statement,
        name="statement",
    ),
]
