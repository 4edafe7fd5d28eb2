"""Evidence packs of decisions (M14.1), at office/evidence/."""

from django.urls import path

from kttc.oversight.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:seq>/", views.pack, name="pack"),
    path("<int:seq>/evidence-pack.zip", views.pack_zip, name="zip"),
    path("<int:seq>/evidence-pack.pdf", views.pack_pdf, name="pdf"),
    path("of/<str:object_type>/<str:object_id>/", views.of_object, name="of_object"),
]
