"""Bulk import pages, under /office/registry/import/ (namespace ``registry``)."""

from django.urls import path

from kttc.registry.importing import export_views, views

urlpatterns = [
    path("", views.import_start, name="import"),
    path("template.<str:fmt>", views.import_template, name="import_template"),
    path("<uuid:job>/", views.import_job, name="import_job"),
    path("<uuid:job>/run/", views.import_run, name="import_run"),
    path("<uuid:job>/status/", views.import_status, name="import_status"),
    path("<uuid:job>/report.<str:fmt>", views.import_report, name="import_report"),
    path("export/", export_views.export_start, name="export"),
    path("export/<uuid:job>/", export_views.export_job, name="export_job"),
    path("export/<uuid:job>/run/", export_views.export_run, name="export_run"),
    path("export/<uuid:job>/results.xlsx", export_views.export_file, name="export_file"),
]
