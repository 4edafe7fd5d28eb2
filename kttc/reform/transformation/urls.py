"""Time-limited transformation (M4.4): the open licensing list, recorded transformations and
justifications."""

from django.urls import path

from kttc.reform.transformation import views

app_name = "transformation"
urlpatterns = [
    path("", views.home, name="home"),
    path("results/<int:achievement_id>/record/", views.record, name="record"),
    path("results/<int:achievement_id>/justify/", views.justify, name="justify"),
    path("justifications/", views.queue, name="queue"),
    path("justifications/<int:pk>/", views.decide, name="decide"),
]
