from django.urls import path

from kttc.center.listings import views

app_name = "listings"
urlpatterns = [
    path("", views.listings, name="list"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/bid/", views.bid, name="bid"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/award/", views.award, name="award"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/registrations/<int:registration>/deposit/", views.deposit, name="deposit"),
    path("<int:pk>/registrations/<int:registration>/refund/", views.refund, name="refund"),
]
