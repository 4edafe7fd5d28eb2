from django.urls import path

from kttc.center.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alerts, name="list"),
    path("searches/", views.search_save, name="search_save"),
    path("fields/", views.field_follow, name="field_follow"),
    path("<str:kind>/<str:pk>/remove/", views.alert_remove, name="remove"),
    path("<str:kind>/<str:pk>/restore/", views.alert_restore, name="restore"),
]
