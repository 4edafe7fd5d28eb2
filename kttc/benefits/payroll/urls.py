"""Pages of the payroll roster, its layout and a distribution's payroll export (M5.1)."""

from django.urls import path

from kttc.benefits.payroll import views

app_name = "payroll"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit>/roster/", views.roster, name="roster"),
    path("units/<int:unit>/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("units/<int:unit>/layout/", views.layout, name="layout"),
    path("distributions/<int:pk>/", views.export, name="export"),
    path("distributions/<int:pk>/payroll.<str:fmt>", views.download, name="download"),
]
