from django.urls import path

from . import views

app_name = "brokerage"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-data/", views.my_data, name="my_data"),
    path("delete-account/", views.delete_account, name="delete_account"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/check/", views.check, name="check"),
    path("<id:pk>/sent/", views.sent, name="sent"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/choose/<id:offer_pk>/", views.choose, name="choose"),
    path("<id:pk>/none-suit/", views.refuse_all, name="refuse_all"),
    path("<id:pk>/share-care-notes/", views.share_care_notes, name="share_care_notes"),
    path("<id:pk>/agreement/confirm/", views.confirm_agreement, name="confirm_agreement"),
    path("<id:pk>/<slug:name>/", views.step, name="step"),
]
