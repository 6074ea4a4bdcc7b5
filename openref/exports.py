"""The listings in the admin, for council staff: every listing, whatever its state, filtered by
kind, council and whether families can find it now, searched by name, and downloadable (with
those filters) as the listings spreadsheet (`spreadsheet.py`: the columns the import reads, so
a council can export, edit and import again)."""

import django_filters
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn

from core.admin_base import StaffListingView
from core.admin_export import SpreadsheetExport, yes_no
from directory import permissions
from directory.choices import ListingKind
from directory.models import ListingPage
from gazetteer.models import LocalAuthority

from .spreadsheet import COLUMNS, listing_rows

IN_DIRECTORY_CHOICES = [("yes", "In the directory now"), ("no", "Not in the directory now")]


def in_directory_now():
    return ListingPage.objects.in_directory().values("pk")


class ListingExportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=ListingKind.choices, label="Kind", empty_label="All kinds"
    )
    council = django_filters.ChoiceFilter(
        field_name="local_authority_code", choices=[], label="Council", empty_label="All councils"
    )
    in_directory = django_filters.ChoiceFilter(
        choices=IN_DIRECTORY_CHOICES,
        method="filter_in_directory",
        label="In the directory",
        empty_label="All listings",
    )

    class Meta:
        model = ListingPage
        fields = ["kind", "council", "in_directory"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The councils listings are in, by name (a code the gazetteer does not know, as it is).
        codes = set(ListingPage.objects.order_by().values_list("local_authority_code", flat=True))
        codes.discard("")
        names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
        choices = sorted(((code, names.get(code, code)) for code in codes), key=lambda c: c[1])
        self.filters["council"].extra["choices"] = choices

    def filter_in_directory(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(pk__in=in_directory_now())
        return queryset.exclude(pk__in=in_directory_now())


def _organisation(listing) -> str:
    return listing.organisation.name if listing.organisation_id else ""


def _assured_date(listing):
    status = getattr(listing, "status", None)
    return status.assured_date if status else None


class ListingExportView(SpreadsheetExport, StaffListingView):
    """Every listing, for council staff, and the listings spreadsheet of those the filters and
    search pick (Download CSV / XLSX)."""

    page_title = "Listings"
    header_icon = "list-ul"
    index_url_name = "openref_exports:listings"
    index_results_url_name = "openref_exports:listings_results"
    filterset_class = ListingExportFilter
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None  # the database's own search, by name: a queryset to export
    default_ordering = "title"
    verbose_name = "listing"
    verbose_name_plural = "listings"
    list_export = [column.key for column in COLUMNS]
    export_headings = {column.key: column.header for column in COLUMNS}
    export_filename = "listings"
    columns = [
        TitleColumn(
            "title",
            label="Name",
            sort_key="title",
            get_url=lambda listing: reverse("wagtailadmin_pages:edit", args=[listing.pk]),
        ),
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
        Column("organisation", label="Organisation", accessor=_organisation),
        Column("council", label="Council", accessor="council_name", sort_key="council_name"),
        Column("live", label="Published", accessor=lambda listing: yes_no(listing.live)),
        Column(
            "in_directory",
            label="In the directory now",
            accessor=lambda listing: yes_no(listing.in_directory_now),
        ),
        DateColumn("assured", label="Last checked", accessor=_assured_date),
    ]

    def allowed(self, user):
        return permissions.is_council_staff(user)

    def get_base_queryset(self):
        listings = ListingPage.objects.all()
        if self.is_export:
            return listings  # the spreadsheet reads what it needs (`listing_rows`)
        names = LocalAuthority.objects.filter(code=OuterRef("local_authority_code"))
        return listings.select_related("organisation", "status").annotate(
            council_name=Subquery(names.values("name")[:1]),
            in_directory_now=Exists(in_directory_now().filter(pk=OuterRef("pk"))),
        )

    def order_queryset(self, queryset):
        if self.is_export:
            return queryset  # the spreadsheet is in the listings' order of creation
        return queryset.order_by(self.ordering or self.default_ordering, "pk")

    def export_rows(self, queryset, export_format):
        """The listings spreadsheet: its header row, then one row a listing."""
        return listing_rows(queryset)
