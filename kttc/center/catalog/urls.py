from django.urls import path

from kttc.center.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog, name="list"),
    path("export.<str:fmt>", views.export, name="export"),
    path("promoted/", views.promoted, name="promoted"),
    path("releases/", views.releases, name="releases"),
    path("releases/<int:pk>/", views.release_detail, name="release"),
    path("feed/", views.LatestFeed(), name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/promote/", views.promote, name="promote"),
]
