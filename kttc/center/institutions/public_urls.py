from django.urls import path

from kttc.center.institutions import views

app_name = "service_institutions"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("brokers/<int:pk>/", views.public_broker, name="broker"),
]
