from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("listing/<id:listing_id>/report/", views.report_problem, name="report_problem"),
    path("listing/<id:listing_id>/report/sent/", views.report_sent, name="report_sent"),
    path(
        "listing/<id:listing_id>/report/sent/safety/",
        views.report_sent,
        {"safety": True},
        name="concern_sent",
    ),
    path("confirm-listing/<str:token>/", views.confirm_listing, name="confirm_listing"),
    path("providers/apply/", views.apply, name="apply"),
    path("providers/apply/check-your-email/", views.apply_sent, name="apply_sent"),
    path(
        "providers/apply/confirm/<str:token>/",
        views.application_confirm,
        name="application_confirm",
    ),
]
