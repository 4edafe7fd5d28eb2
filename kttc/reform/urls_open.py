"""Time-limited transformation (M4.4): the open licensing list, recorded transformations and
justifications."""

from django.urls import path

from kttc.reform import views_open

app_name = "transformation"
urlpatterns = [
    path("", views_open.home, name="home"),
    path("results/<int:achievement_id>/record/", views_open.record, name="record"),
    path("results/<int:achievement_id>/justify/", views_open.justify, name="justify"),
    path("justifications/", views_open.queue, name="queue"),
    path("justifications/<int:pk>/", views_open.decide, name="decide"),
]
