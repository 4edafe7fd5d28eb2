from django.urls import path

from kttc.center.finance import views

app_name = "finance_public"
urlpatterns = [
    path("", views.products, name="products"),
]
