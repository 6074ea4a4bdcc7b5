"""Unmet demand in the admin, for commissioners: read-only, filterable, anonymous."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import UnmetDemand


class UnmetDemandViewSet(ModelViewSet):
    model = UnmetDemand
    icon = "search"
    menu_label = "Unmet demand"
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "searched_on",
        "outcode",
        "local_authority_code",
        "rural",
        "mode",
        "kinds",
        "needs",
        "age_band",
        "days",
        "source",
        "results",
        "radius_miles",
    ]
    list_filter = ["source", "rural", "local_authority_code", "age_band", "mode", "searched_on"]
    search_fields = ["outcode", "needs", "kinds", "reasons"]
    form_fields = []  # records are made by searches, never typed in


@hooks.register("register_admin_viewset")
def register_unmet_demand():
    return UnmetDemandViewSet("unmet_demand")
