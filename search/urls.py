from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("shortlist/", views.shortlist_view, name="shortlist"),
    path("shortlist/shared/", views.shortlist_shared, name="shortlist_shared"),
    path("shortlist/shared/save/", views.shortlist_save_shared, name="shortlist_save_shared"),
    path("shortlist/add/<id:listing_id>/", views.shortlist_add, name="shortlist_add"),
    path("shortlist/remove/<id:listing_id>/", views.shortlist_remove, name="shortlist_remove"),
]
