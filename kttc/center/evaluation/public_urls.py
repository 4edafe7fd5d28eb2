from django.urls import path

from kttc.center.evaluation import views

app_name = "evaluation_public"
urlpatterns = [
    path("", views.rubric, name="rubric"),
]
