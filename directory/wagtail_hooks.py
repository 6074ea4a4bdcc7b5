"""The directory inside the Wagtail admin: organisations, taxonomies, safeguarding, provider
applications, reports, and dashboard panels for providers and council staff."""

from django.db.models import Count
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.admin_base import PredicateMenuItem, listing_urls
from core.admin_export import SpreadsheetExport, local_date
from core.dates import today

from . import (
    admin_views,
    attention_views,
    availability_views,
    dbs_review_views,
    permissions,
    safeguarding_views,
    services,
)
from .models import AccessFeature, FundingRoute, Language, Need, Organisation, ServiceType, Skill
from .reminders import lapsed_insurance

# --- URLs ------------------------------------------------------------------------------------

admin_urlpatterns = [
    *listing_urls("safeguarding/", safeguarding_views.SafeguardingIndexView, "dbs_checks"),
    path(
        "safeguarding/people/add/",
        safeguarding_views.StaffMemberAddView.as_view(),
        name="staff_add",
    ),
    path(
        "safeguarding/people/<id:person_id>/checks/add/",
        safeguarding_views.DBSCheckAddView.as_view(),
        name="dbs_check_add",
    ),
    path(
        "safeguarding/checks/<id:check_id>/",
        safeguarding_views.DBSCheckDetailView.as_view(),
        name="dbs_check",
    ),
    path(
        "safeguarding/checks/<id:check_id>/verify/",
        safeguarding_views.DBSCheckVerifyView.as_view(),
        name="dbs_check_verify",
    ),
    path(
        "safeguarding/checks/<id:check_id>/query/",
        dbs_review_views.DBSCheckQueryView.as_view(),
        name="dbs_check_query",
    ),
    path(
        "safeguarding/checks/<id:check_id>/reject/",
        dbs_review_views.DBSCheckRejectView.as_view(),
        name="dbs_check_reject",
    ),
    path(
        "safeguarding/checks/<id:check_id>/answer/",
        dbs_review_views.DBSCheckAnswerView.as_view(),
        name="dbs_check_answer",
    ),
    *listing_urls("applications/", admin_views.ApplicationIndexView, "applications"),
    path(
        "applications/<id:application_id>/",
        admin_views.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    *listing_urls("reports/", admin_views.ReportIndexView, "reports"),
    path("reports/<id:report_id>/", admin_views.ReportDetailView.as_view(), name="report"),
    path(
        "listings/<id:listing_id>/confirm/",
        admin_views.ListingConfirmView.as_view(),
        name="listing_confirm",
    ),
    path(
        "listings/<id:listing_id>/bookings-and-space/",
        availability_views.ListingAvailabilityView.as_view(),
        name="listing_availability",
    ),
    *listing_urls(
        "listings/needing-attention/", attention_views.ListingAttentionView, "listings_attention"
    ),
    *listing_urls(
        "organisations/insurance-lapsed/", attention_views.InsuranceLapsedView, "insurance_lapsed"
    ),
]


@hooks.register("register_admin_urls")
def register_directory_admin_urls():
    return [path("directory/", include((admin_urlpatterns, "directory_admin")))]


# --- Menu ------------------------------------------------------------------------------------


def is_provider(user) -> bool:
    return permissions.organisations_of(user).exists()


@hooks.register("register_admin_menu_item")
def safeguarding_menu_item():
    return PredicateMenuItem(
        "Safeguarding (DBS)",
        reverse("directory_admin:dbs_checks"),
        icon_name="lock",
        order=210,
        predicate=lambda user: permissions.is_council_staff(user) or is_provider(user),
    )


@hooks.register("register_admin_menu_item")
def applications_menu_item():
    return PredicateMenuItem(
        "Provider applications",
        reverse("directory_admin:applications"),
        icon_name="user",
        order=220,
        predicate=permissions.is_council_staff,
    )


@hooks.register("register_admin_menu_item")
def attention_menu_item():
    return PredicateMenuItem(
        "Out-of-date listings",
        reverse("directory_admin:listings_attention"),
        icon_name="warning",
        order=225,
        predicate=permissions.is_council_staff,
    )


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    return PredicateMenuItem(
        "Reported problems",
        reverse("directory_admin:reports"),
        icon_name="warning",
        order=230,
        predicate=permissions.is_council_staff,
    )


# --- Organisations and taxonomies ------------------------------------------------------------


class OrganisationCreateView(CreateView):
    """New organisations get their editors' group and provider page, as admitted ones do."""

    def save_instance(self):
        return services.organisation_create(**self.form.cleaned_data)


class OrganisationIndexView(SpreadsheetExport, IndexView):
    """The organisations, each with how many listings it has, for the list and its
    spreadsheet."""

    custom_field_preprocess = {
        "created_at": {
            SpreadsheetExport.FORMAT_CSV: lambda moment: local_date(moment).isoformat(),
            SpreadsheetExport.FORMAT_XLSX: local_date,
        }
    }

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(listing_count=Count("listings"))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    menu_order = 200
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    list_display = ["name", "kind", "council_relationship", "insurance_expiry"]
    list_filter = ["kind", "council_relationship"]
    search_fields = ["name", "email", "postcode"]
    # The spreadsheet (Download CSV / XLSX on the list), with the list's filters and search.
    list_export = [
        "name",
        "get_kind_display",
        "get_council_relationship_display",
        "email",
        "phone",
        "website",
        "postcode",
        "ofsted_urn",
        "cqc_location_id",
        "insurer",
        "insurance_expiry",
        "listing_count",
        "created_at",
    ]
    export_headings = {
        "name": "Name",
        "get_kind_display": "Kind",
        "get_council_relationship_display": "Council relationship",
        "email": "Email",
        "phone": "Phone",
        "website": "Website",
        "postcode": "Postcode",
        "ofsted_urn": "Ofsted URN",
        "cqc_location_id": "CQC location ID",
        "insurer": "Public liability insurer",
        "insurance_expiry": "Insurance expires on",
        "listing_count": "Listings",
        "created_at": "Created on",
    }
    export_filename = "organisations"
    inspect_view_fields = [
        "name",
        "kind",
        "ofsted_urn",
        "cqc_location_id",
        "charity_number",
        "company_number",
        "insurer",
        "insurance_expiry",
        "council_relationship",
        "email",
        "phone",
        "website",
        "postcode",
        "editor_names",
    ]


class TaxonomyViewSet(ModelViewSet):
    """Council staff keep the lists families filter by. The slug is made from the name once
    and then kept, so shared links keep working when a name is reworded."""

    copy_view_enabled = False
    list_display = ["name", "description", "sort_order"]
    search_fields = ["name"]


def taxonomy_viewset(taxonomy, icon="tag", extra_fields=()):
    panels = [FieldPanel(name) for name in ("name", *extra_fields, "description", "sort_order")]
    return type(
        f"{taxonomy.__name__}ViewSet",
        (TaxonomyViewSet,),
        {"model": taxonomy, "icon": icon, "panels": panels},
    )()


class TaxonomyGroup(ViewSetGroup):
    menu_label = "Directory lists"
    menu_icon = "list-ul"
    menu_order = 240
    items = [
        taxonomy_viewset(ServiceType, extra_fields=["kind"]),
        taxonomy_viewset(Need),
        taxonomy_viewset(Skill),
        taxonomy_viewset(AccessFeature),
        taxonomy_viewset(Language),
        taxonomy_viewset(FundingRoute),
    ]


@hooks.register("register_admin_viewset")
def register_directory_viewsets():
    return [OrganisationViewSet("organisations"), TaxonomyGroup()]


# --- Dashboard --------------------------------------------------------------------------------


class ProviderListingsPanel(Component):
    """A provider's own listings: whether each is live, when it was last checked, its DBS
    badge, and a one-click "still accurate" button."""

    name = "provider_listings"
    order = 50
    template_name = "directory/admin/panels/provider_listings.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        organisations = permissions.organisations_of(self.request.user)
        return {
            "rows": admin_views.provider_listing_rows(self.request.user),
            "insurance_lapsed": lapsed_insurance(today()).filter(pk__in=organisations.values("pk")),
            "request": self.request,
            "csrf_token": parent_context.get("csrf_token"),
        }


class CouncilAttentionPanel(Component):
    name = "council_attention"
    order = 40
    template_name = "directory/admin/panels/council_attention.html"

    def get_context_data(self, parent_context):
        return {
            "counts": admin_views.council_attention_counts(),
            "listings": attention_views.attention_counts(),
        }


@hooks.register("construct_homepage_panels")
def add_directory_panels(request, panels):
    if permissions.is_council_staff(request.user):
        panels.append(CouncilAttentionPanel())
    if is_provider(request.user):
        panels.append(ProviderListingsPanel(request))
