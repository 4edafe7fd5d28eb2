from django.urls import path

from kttc.benefits.mine import views

app_name = "mine"

urlpatterns = [
    path("", views.my_results, name="home"),
]
