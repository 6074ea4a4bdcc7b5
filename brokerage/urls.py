from django.urls import path

from . import views

app_name = "brokerage"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-data/", views.my_data, name="my_data"),
    path("delete-account/", views.delete_account, name="delete_account"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/sent/", views.sent, name="sent"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/choose/<int:offer_pk>/", views.choose, name="choose"),
    path("<int:pk>/none-suit/", views.refuse_all, name="refuse_all"),
    path("<int:pk>/agreement/confirm/", views.confirm_agreement, name="confirm_agreement"),
    path("<int:pk>/<slug:name>/", views.step, name="step"),
]
