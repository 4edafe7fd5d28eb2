from django.urls import path

from kttc.center.ip_protection import views

app_name = "ip_decisions"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
