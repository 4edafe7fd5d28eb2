"""The public transaction page (M8.5)."""

from django.urls import path

from kttc.center.transactions import views

app_name = "transactions"
urlpatterns = [path("", views.transactions, name="list")]
