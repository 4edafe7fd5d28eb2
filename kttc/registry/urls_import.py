"""Bulk import pages, under /office/registry/import/ (namespace ``registry``)."""

from django.urls import path

from kttc.registry import views_import

urlpatterns = [
    path("", views_import.import_start, name="import"),
    path("template.<str:fmt>", views_import.import_template, name="import_template"),
    path("<uuid:job>/", views_import.import_job, name="import_job"),
    path("<uuid:job>/run/", views_import.import_run, name="import_run"),
    path("<uuid:job>/status/", views_import.import_status, name="import_status"),
    path("<uuid:job>/report.<str:fmt>", views_import.import_report, name="import_report"),
]
