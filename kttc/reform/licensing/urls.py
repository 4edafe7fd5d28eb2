"""Back-office pages of "use first, pay later" licences (M3)."""

from django.urls import path

from kttc.reform.licensing import views

app_name = "licences"
urlpatterns = [
    path("", views.home, name="home"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/", views.offer, name="offer"),
    path("offers/<int:pk>/close/", views.offer_close, name="offer_close"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("<int:pk>/", views.licence, name="licence"),
]
