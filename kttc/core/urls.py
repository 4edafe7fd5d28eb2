from django.urls import path

from kttc.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("policy/", views.policy_parameters, name="policy_parameters"),
    path("audit/checkpoints/", views.audit_checkpoints, name="audit_checkpoints"),
]
