from django.urls import path

from kttc.core import codes

app_name = "codes"
urlpatterns = [
    path("<slug:scheme>/", codes.code_list, name="list"),
    path("<slug:scheme>/options", codes.options, name="options"),
    path("<slug:scheme>/pick", codes.pick, name="pick"),
]
