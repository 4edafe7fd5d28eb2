from django.urls import path

from kttc.oversight.findings import views

app_name = "findings"
urlpatterns = [
    path("", views.office_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/findings/", views.add_finding, name="add_finding"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("finding/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("finding/<int:pk>/review/", views.review, name="review"),
    path("finding/<int:pk>/remove/", views.remove_finding, name="remove_finding"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
