"""Unmet demand in the admin, for commissioners: read-only, filterable, anonymous, and
downloadable as a spreadsheet (with the list's filters applied). The Local Offer addresses
families outside the directory's area are sent to, kept by council staff."""

import django_filters
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from core.admin_export import SpreadsheetExport, yes_no
from gazetteer.models import LocalAuthority

from .models import LocalOffer, UnmetDemand


def council_name():
    """The council's name, by the record's ONS code (the code itself if the gazetteer does
    not know it)."""
    names = LocalAuthority.objects.filter(code=OuterRef("local_authority_code")).values("name")
    return Coalesce(Subquery(names[:1]), F("local_authority_code"))


class UnmetDemandFilterSet(WagtailFilterSet):
    """The list's filters; the council is chosen by its name (the parameter is still its
    code, `local_authority_code`, so links made before keep working)."""

    local_authority_code = django_filters.ChoiceFilter(label="Council", choices=[])

    class Meta:
        model = UnmetDemand
        fields = ["source", "rural", "local_authority_code", "age_band", "mode", "searched_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = UnmetDemand.objects.values_list("local_authority_code", flat=True)
        codes = set(recorded.order_by().distinct()) - {""}
        names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
        choices = sorted(((code, names.get(code, code)) for code in codes), key=lambda c: c[1])
        self.filters["local_authority_code"].extra["choices"] = choices


class UnmetDemandIndexView(SpreadsheetExport, IndexView):
    custom_field_preprocess = {
        "rural": {SpreadsheetExport.FORMAT_CSV: yes_no, SpreadsheetExport.FORMAT_XLSX: yes_no}
    }

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(council_name=council_name())


class UnmetDemandViewSet(ModelViewSet):
    model = UnmetDemand
    icon = "search"
    menu_label = "Unmet demand"
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = UnmetDemandIndexView
    list_display = [
        "searched_on",
        "outcode",
        Column("council_name", label="Council", sort_key="council_name"),
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
    filterset_class = UnmetDemandFilterSet
    search_fields = ["outcode", "needs", "kinds", "reasons"]
    form_fields = []  # records are made by searches, never typed in
    # The spreadsheet (Download CSV / XLSX on the list), with the list's filters and search.
    export_headings = {
        "searched_on": "Searched on",
        "outcode": "Postcode district",
        "local_authority_code": "Council code",
        "council_name": "Council",
        "rural": "Rural",
        "classified_by": "Rural or urban by",
        "mode": "Mode",
        "kinds": "Kinds",
        "service_type": "Service type",
        "needs": "Needs",
        "age_band": "Age band",
        "days": "Days",
        "get_source_display": "Source",
        "results": "Results",
        "radius_miles": "Radius (miles)",
        "reasons": "Reasons",
    }
    list_export = list(export_headings)
    export_filename = "unmet-demand"


class LocalOfferViewSet(ModelViewSet):
    """Council code -> the council's Local Offer. By model permission: council staff only
    (migration search 0010); Wagtail's history of each row records who changed it."""

    model = LocalOffer
    icon = "link-external"
    menu_label = "Local Offer addresses"
    menu_order = 255
    add_to_admin_menu = True
    copy_view_enabled = False
    form_fields = ["council_code", "publisher", "url"]
    list_display = [
        "council_code",
        Column("council_name", label="Council area"),
        "publisher",
        "url",
    ]
    search_fields = ["council_code", "publisher"]

    def get_queryset(self, request):
        names = LocalAuthority.objects.filter(code=OuterRef("council_code")).values("name")
        return LocalOffer.objects.annotate(council_name=Subquery(names[:1]))


@hooks.register("register_admin_viewset")
def register_unmet_demand():
    return [UnmetDemandViewSet("unmet_demand"), LocalOfferViewSet("local_offers")]
