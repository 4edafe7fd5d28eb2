from django.urls import path

from kttc.center.rates import views

app_name = "rates"
urlpatterns = [path("", views.office, name="office")]
