from django.urls import path

from kttc.oversight.meeting import views

app_name = "difficulties"
urlpatterns = [
    path("", views.public_summary, name="summary"),
]
