from django.urls import path

from . import views

app_name = "kitemark"

urlpatterns = [
    path("", views.register, name="register"),
    path("awards/<id:audit_id>/", views.award_detail, name="award"),
    path("standards/", views.standards, name="standards"),
    path("auditor/", views.auditor_home, name="auditor_home"),
    path("auditor/reviews/<id:assignment_id>/", views.review, name="review"),
    path(
        "auditor/reviews/<id:assignment_id>/standards/<id:number>/",
        views.review_standard,
        name="review_standard",
    ),
    path("auditor/reviews/<id:assignment_id>/check/", views.review_check, name="review_check"),
    path("auditor/photos/<id:answer_id>/", views.photo, name="photo"),
    path("auditor/my-data/", views.my_data, name="my_data"),
    path("auditor/delete-account/", views.delete_account, name="delete_account"),
]
