from django.urls import path

from kttc.oversight.reports import views

app_name = "unit_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("periods/<int:pk>/summary.xlsx", views.period_xlsx, name="period_xlsx"),
    path("periods/<int:period>/units/<int:unit>/prepare/", views.prepare, name="prepare"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/return/", views.return_report, name="return"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/report.<str:fmt>", views.download, name="download"),
]
