"""Brokerage inside the Wagtail admin: the broker's workspace and the provider's offers."""

from django.urls import include, path, reverse
from wagtail import hooks

from core.admin_base import PredicateMenuItem
from core.roles import is_council_staff

from . import admin_views, area_views, permissions, provider_views

admin_urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("me/", admin_views.ProfileView.as_view(), name="profile"),
    path("requests/<id:pk>/", admin_views.RequestView.as_view(), name="request"),
    path("requests/<id:pk>/matching/", admin_views.MatchingView.as_view(), name="matching"),
    path("requests/<id:pk>/agreement/", admin_views.AgreementView.as_view(), name="agreement"),
    path("requests/<id:pk>/review/", admin_views.ReviewView.as_view(), name="review"),
    path("brokers/", area_views.BrokersView.as_view(), name="brokers"),
    path("brokers/<id:user_id>/", area_views.BrokerAreasView.as_view(), name="broker_areas"),
    path("offers/", provider_views.OffersView.as_view(), name="offers"),
    path("offers/<id:pk>/", provider_views.OfferView.as_view(), name="offer"),
]


@hooks.register("register_admin_urls")
def register_brokerage_admin_urls():
    return [path("brokerage/", include((admin_urlpatterns, "brokerage_admin")))]


@hooks.register("register_admin_menu_item")
def brokerage_menu_item():
    return PredicateMenuItem(
        "Brokerage",
        reverse("brokerage_admin:queue"),
        icon_name="clipboard-list",
        order=250,
        predicate=permissions.is_broker,
    )


@hooks.register("register_admin_menu_item")
def offers_menu_item():
    return PredicateMenuItem(
        "Requests for help",
        reverse("brokerage_admin:offers"),
        icon_name="mail",
        order=255,
        predicate=permissions.is_provider,
    )


@hooks.register("register_admin_menu_item")
def brokers_areas_menu_item():
    return PredicateMenuItem(
        "Brokers' areas",
        reverse("brokerage_admin:brokers"),
        icon_name="group",
        order=256,
        predicate=is_council_staff,
    )
