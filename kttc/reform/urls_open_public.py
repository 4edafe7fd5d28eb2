"""The public open licensing list (M4.4)."""

from django.urls import path

from kttc.reform import views_open

app_name = "open_licensing"
urlpatterns = [
    path("", views_open.open_list, name="list"),
]
