from django.urls import path

from kttc.center.partners import views

app_name = "cooperation"
urlpatterns = [path("", views.cooperation, name="page")]
