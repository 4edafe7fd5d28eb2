from django.urls import path

from kttc.oversight.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rows/", views.rows, name="rows"),
    path("export.xlsx", views.export, name="export"),
]
