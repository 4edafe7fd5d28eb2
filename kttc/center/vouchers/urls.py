from django.urls import path

from kttc.center.vouchers import views

app_name = "vouchers"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/close/", views.close, name="close"),
    path("programmes/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/issue/", views.issue, name="issue"),
    path("applications/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("mine/", views.mine, name="mine"),
    path("vouchers/<int:pk>/present/", views.present, name="present"),
    path("redeem/", views.redeem, name="redeem"),
    path("vouchers/<int:pk>/redeem/", views.redeem_voucher, name="redeem_voucher"),
]
