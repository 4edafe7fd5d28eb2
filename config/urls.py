from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("kttc.core.urls_accounts")),
    path("office/", include("kttc.core.urls_office")),
    path("", include("kttc.core.urls")),
]

handler404 = "kttc.core.views.error_404"
handler500 = "kttc.core.views.error_500"
handler403 = "kttc.core.views.error_403"
handler400 = "kttc.core.views.error_400"
