from django.urls import path

from kttc.oversight.meeting import views

app_name = "meeting"
urlpatterns = [
    path("", views.office_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
