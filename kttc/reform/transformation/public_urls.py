"""The public open licensing list (M4.4)."""

from django.urls import path

from kttc.reform.transformation import views

app_name = "open_licensing"
urlpatterns = [
    path("", views.open_list, name="list"),
]
