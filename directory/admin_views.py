"""Staff views inside the Wagtail admin: provider applications, reports and one-click
confirmation of a listing (safeguarding is in `safeguarding_views`). Thin: each checks who
may see the page, then calls a service, which checks again before it writes anything."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn

from core.admin_base import StaffAdminView, StaffListingView, TemplateColumn, form_errors_to_form
from core.dates import today
from core.parsing import parse_id

from . import permissions, services
from .badges import dbs_badge, freshness_badge
from .choices import ApplicationStatus, DBSReview
from .family_view import family_view
from .filters import ApplicationFilter, ReportFilter
from .forms import DeclineApplicationForm
from .models import (
    ListingPage,
    ListingReport,
    ProviderApplication,
    StaffMember,
    with_latest_check,
)


class StaffView(StaffAdminView):
    """A council staff page (safeguarding, applications, reports)."""

    def allowed(self, user) -> bool:
        return permissions.is_council_staff(user)


# --- Provider applications -----------------------------------------------------------------


class ApplicationIndexView(StaffListingView):
    """Applications to list in the directory; those waiting for a decision first."""

    page_title = "Provider applications"
    header_icon = "user"
    index_url_name = "directory_admin:applications"
    index_results_url_name = "directory_admin:applications_results"
    filterset_class = ApplicationFilter
    verbose_name_plural = "applications"
    model = ProviderApplication
    default_ordering = "-created_at"
    columns = [
        TitleColumn(
            "organisation_name",
            label="Applicant",
            get_url=lambda application: reverse(
                "directory_admin:application_detail", args=[application.pk]
            ),
        ),
        Column("contact_name", label="Contact"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("postcode", label="Postcode"),
        DateColumn("created_at", label="Received", sort_key="created_at"),
        Column("status", label="Status", accessor="get_status_display"),
    ]

    def allowed(self, user):
        return permissions.is_council_staff(user)

    def get_filterset_kwargs(self):
        # Applications waiting for a decision, unless staff chose otherwise.
        data = self.request.GET.copy()
        data.setdefault("status", ApplicationStatus.CONFIRMED)
        return {**super().get_filterset_kwargs(), "data": data}


class ApplicationDetailView(StaffView):
    template_name = "directory/admin/application_detail.html"
    header_icon = "user"
    crumbs = [{"url": reverse_lazy("directory_admin:applications"), "label": "Applications"}]

    def dispatch(self, request, *args, application_id, **kwargs):
        self.application = get_object_or_404(ProviderApplication, pk=application_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Application from {self.application.organisation_name}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("decline_form", DeclineApplicationForm())
        return super().get_context_data(
            application=self.application,
            can_decide=self.application.status == ApplicationStatus.CONFIRMED,
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        if action == "admit":
            try:
                organisation = services.provider_application_admit(
                    user=request.user, application=self.application
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            messages.success(
                request,
                f"{organisation.name} admitted. They have been emailed a link to set a password.",
            )
            return redirect("directory_admin:applications")
        if action == "decline":
            form = DeclineApplicationForm(request.POST)
            if form.is_valid():
                try:
                    services.provider_application_decline(
                        user=request.user,
                        application=self.application,
                        note=form.cleaned_data["decision_note"],
                    )
                except ValidationError as error:
                    form_errors_to_form(form, error)
                else:
                    messages.success(request, "Application declined. The applicant was emailed.")
                    return redirect("directory_admin:applications")
            return self.render_to_response(self.get_context_data(decline_form=form))
        messages.error(request, "Choose whether to admit or decline the application.")
        return redirect(request.path)


# --- Listing reports -----------------------------------------------------------------------


class ReportIndexView(StaffListingView):
    """Problems families reported with listings: open ones unless staff ask for all."""

    page_title = "Problems reported by families"
    header_icon = "warning"
    index_url_name = "directory_admin:reports"
    index_results_url_name = "directory_admin:reports_results"
    filterset_class = ReportFilter
    verbose_name_plural = "reports"
    columns = [
        TitleColumn(
            "listing",
            label="Listing",
            accessor="listing.title",
            get_url=lambda report: reverse("wagtailadmin_pages:edit", args=[report.listing_id]),
        ),
        TemplateColumn(
            "reason", label="Problem", cell_template_name="directory/admin/cells/report_reason.html"
        ),
        TemplateColumn(
            "details",
            label="Details",
            cell_template_name="directory/admin/cells/report_details.html",
        ),
        Column(
            "reply_email", label="Reply to", accessor=lambda r: r.reply_email or "No reply wanted"
        ),
        DateColumn("created_at", label="Received"),
        TemplateColumn(
            "action", label="Action", cell_template_name="directory/admin/cells/report_action.html"
        ),
    ]

    def allowed(self, user):
        return permissions.is_council_staff(user)

    def get_base_queryset(self):
        return ListingReport.objects.select_related("listing", "resolved_by")

    def get_filterset_kwargs(self):
        data = self.request.GET.copy()
        data.setdefault("show", "open")
        return {**super().get_filterset_kwargs(), "data": data}

    def post(self, request):
        report_id = request.POST.get("report", "")
        report = get_object_or_404(ListingReport, pk=parse_id(report_id) or 0)
        services.listing_report_resolve(user=request.user, report=report)
        messages.success(request, f"Report on {report.listing.title} marked as dealt with.")
        return redirect("directory_admin:reports")


# --- Freshness: a provider confirms a listing from the admin -------------------------------


class ListingConfirmView(StaffView):
    http_method_names = ["post"]

    def allowed(self, user):
        return True  # checked against the listing below

    def post(self, request, listing_id: int):
        listing = get_object_or_404(ListingPage, pk=listing_id)
        if not permissions.can_confirm_listing(request.user, listing):
            raise PermissionDenied
        services.listing_confirm_accuracy(listing=listing, user=request.user)
        messages.success(request, f"Thank you: {listing.title} is confirmed as accurate today.")
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) or not (
            next_url.startswith("/admin/")
        ):
            next_url = reverse("wagtailadmin_home")
        return redirect(next_url)


# --- Dashboard panels ----------------------------------------------------------------------


def provider_listing_rows(user, on: datetime.date | None = None):
    organisations = permissions.organisations_of(user)
    listings = (
        ListingPage.objects.filter(organisation__in=organisations)
        .select_related("status", "organisation")
        .order_by("title")[:100]
    )
    return [
        {
            "listing": listing,
            "status": getattr(listing, "status", None),
            "freshness": freshness_badge(getattr(listing, "status", None)),
            "dbs": dbs_badge(getattr(listing, "status", None)),
            "families": family_view(listing, getattr(listing, "status", None), on),
        }
        for listing in listings
    ]


def council_attention_counts(on: datetime.date | None = None) -> dict[str, int]:
    on = on or today()
    checks = with_latest_check(StaffMember.objects.all()).aggregate(
        awaiting=Count("pk", filter=Q(latest_review=DBSReview.SUBMITTED)),
        lapsed=Count("pk", filter=Q(latest_next_due__lte=on)),
    )
    return {
        "applications": ProviderApplication.objects.filter(
            status=ApplicationStatus.CONFIRMED
        ).count(),
        "reports": ListingReport.objects.filter(resolved_at=None).count(),
        "dbs_awaiting": checks["awaiting"],
        "dbs_lapsed": checks["lapsed"],
    }
