"""The sufficiency dashboard's address in the admin (/admin/sufficiency/) and its menu item,
shown to council staff and commissioners only."""

from django.urls import include, path, reverse
from wagtail import hooks

from core.admin_base import PredicateMenuItem
from core.roles import is_council_staff

from . import views

admin_urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("refresh/", views.RefreshView.as_view(), name="refresh"),
]


@hooks.register("register_admin_urls")
def register_sufficiency_admin_urls():
    return [path("sufficiency/", include((admin_urlpatterns, "sufficiency_admin")))]


@hooks.register("register_admin_menu_item")
def sufficiency_menu_item():
    return PredicateMenuItem(
        "Sufficiency",
        reverse("sufficiency_admin:dashboard"),
        icon_name="table",
        order=260,
        predicate=is_council_staff,
    )
