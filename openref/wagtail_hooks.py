"""Open data in the Wagtail admin: an "Open data" menu for council staff, with the listings and
their spreadsheet (`exports.py`)."""

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from core.admin_base import PredicateMenuItem, listing_urls
from directory import permissions

from . import exports, imports

# --- The "Open data" menu -----------------------------------------------------------------
# Its items, in `order`. To add one (e.g. "Import listings"), append a menu item here; the
# menu shows to anyone at least one of its items shows to (`PredicateMenuItem`'s predicate).

OPEN_DATA_MENU_ITEMS = [
    PredicateMenuItem(
        "Listings",
        reverse_lazy("openref_exports:listings"),
        icon_name="list-ul",
        order=100,
        predicate=permissions.is_council_staff,
    ),
    PredicateMenuItem(
        "Import listings",
        reverse_lazy("openref_imports:index"),
        icon_name="upload",
        order=200,
        predicate=permissions.is_council_staff,
    ),
]


@hooks.register("register_admin_menu_item")
def register_export_menu():
    return SubmenuMenuItem(
        "Open data", Menu(items=OPEN_DATA_MENU_ITEMS), icon_name="table", order=260
    )


# --- The listings and their spreadsheet ----------------------------------------------------

export_urlpatterns = listing_urls("listings/", exports.ListingExportView, "listings")


@hooks.register("register_admin_urls")
def register_export_urls():
    return [path("open-data/", include((export_urlpatterns, "openref_exports")))]


# --- Importing -----------------------------------------------------------------------------

import_urlpatterns = [
    path("", imports.ImportIndexView.as_view(), name="index"),
    path("<id:pk>/", imports.ImportRunView.as_view(), name="run"),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("open-data/import/", include((import_urlpatterns, "openref_imports")))]
