from django.urls import path

from kttc.oversight.statistics import views

app_name = "statistics_public"
urlpatterns = [
    path("", views.public, name="page"),
    path("charts.css", views.chart_css, name="css"),
]
