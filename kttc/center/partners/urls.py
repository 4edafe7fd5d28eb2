from django.urls import path

from kttc.center.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partnerships, name="partnerships"),
    path("<int:pk>/partnership/", views.partnership, name="partnership"),
    path("cases/", views.cases, name="cases"),
    path("refer/", views.refer, name="refer"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:enterprise>/<int:partner>/", views.agreement, name="agreement"),
]
