"""Back-office pages of the registry (namespace ``registry``): achievements (the unit's results,
what is due, the center's review), fiscal projects and their deadlines, the bulk import."""

from django.urls import include, path

from kttc.registry.achievements import views
from kttc.registry.projects import views as project_views

app_name = "registry"
urlpatterns = [
    path("", views.unit_achievements, name="achievements"),
    path("bulk/", views.achievements_bulk, name="achievements_bulk"),
    path("bulk/<uuid:job>/", views.bulk_job, name="bulk_job"),
    path("bulk/<uuid:job>/run/", views.bulk_run, name="bulk_run"),
    path("due/", views.due, name="due"),
    path("new/", views.achievement_new, name="achievement_new"),
    path("<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("<int:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("<int:pk>/submit/", views.achievement_submit, name="achievement_submit"),
    path("review/", views.review_queue, name="review"),
    path("<int:pk>/review/", views.achievement_review, name="achievement_review"),
    path("projects/", project_views.projects, name="projects"),
    path("projects/deadlines/", project_views.project_deadlines, name="project_deadlines"),
    path("import/", include("kttc.registry.importing.urls")),
]
