from django.urls import path

from kttc.center.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.home, name="home"),
    path("bank/", views.bank, name="bank"),
    path("products/new/", views.product_new, name="product_new"),
    path("products/<int:pk>/", views.product_edit, name="product_edit"),
    path("applications/", views.mine, name="mine"),
    path("apply/<int:pk>/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/approve/", views.approve, name="approve"),
    path("applications/<int:pk>/cover/", views.cover, name="cover"),
    path("applications/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("applications/<int:pk>/repay/", views.repay, name="repay"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
