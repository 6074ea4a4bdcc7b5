"""Staff views inside the Wagtail admin: provider applications, reports and safeguarding
concerns, and one-click confirmation of a listing (DBS checks are in `safeguarding_views`).
Thin: each checks who may see the page, then calls a service, which checks again before it
writes anything."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn

from core.admin_base import StaffAdminView, StaffListingView, TemplateColumn, form_errors_to_form
from core.audit import audit
from core.dates import today

from . import permissions, reports, services, vetting
from .badges import dbs_badge, freshness_badge
from .choices import ApplicationStatus, ConcernStatus, DBSReview, ReportStatus
from .family_view import family_view
from .filters import ApplicationFilter, ReportFilter
from .forms import (
    ConcernStepForm,
    DealWithReportForm,
    DeclineApplicationForm,
    MakeConcernForm,
    ReportNoteForm,
)
from .models import (
    ListingPage,
    ListingReport,
    ProviderApplication,
    StaffMember,
    with_latest_check,
)
from .reminders import lapsed_insurance
from .workflow import CONCERNS


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
            possible_duplicates=vetting.possible_duplicates(self.application),
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


# --- Listing reports and safeguarding concerns --------------------------------------------


def report_url(report) -> str:
    return reverse("directory_admin:report", args=[report.pk])


class ReportIndexView(StaffListingView):
    """Problems reported with listings: safeguarding concerns first, then the rest; open ones
    unless staff ask for all."""

    page_title = "Problems reported by families"
    header_icon = "warning"
    index_url_name = "directory_admin:reports"
    index_results_url_name = "directory_admin:reports_results"
    filterset_class = ReportFilter
    verbose_name_plural = "reports"
    columns = [
        TitleColumn(
            "listing_title",
            label="Listing",
            accessor=lambda r: r.listing_title or "Listing no longer in the directory",
            get_url=report_url,
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
            "action", label="Status", cell_template_name="directory/admin/cells/report_action.html"
        ),
    ]

    def allowed(self, user):
        return permissions.is_council_staff(user)

    def get_base_queryset(self):
        return ListingReport.objects.select_related("resolved_by").order_by(
            "-safeguarding", F("resolved_at").asc(nulls_first=True), "-created_at"
        )

    def get_filterset_kwargs(self):
        data = self.request.GET.copy()
        data.setdefault("show", "open")
        return {**super().get_filterset_kwargs(), "data": data}


STATUSES = dict(ReportStatus.choices + ConcernStatus.choices)


def history(report) -> list[dict]:
    """Each step of a report: when, who, what (a move, or a note), and the note."""
    rows = []
    for event in report.events.all():
        if event.from_status == event.to_status:
            step = "Note"
        elif event.from_status:
            step = f"{STATUSES[event.from_status]} to {STATUSES[event.to_status]}"
        else:
            step = STATUSES[event.to_status]
        who = event.actor_name or ("The council" if event.from_status else "Sent by the public")
        rows.append({"at": event.at, "who": who, "step": step, "note": event.note})
    return rows


class ReportDetailView(StaffView):
    """One report or safeguarding concern: what was reported, every step so far, and the
    next one. Opening a concern is itself recorded in the audit trail."""

    template_name = "directory/admin/report_detail.html"
    header_icon = "warning"
    crumbs = [{"url": reverse_lazy("directory_admin:reports"), "label": "Reported problems"}]

    def dispatch(self, request, *args, report_id, **kwargs):
        self.report = get_object_or_404(ListingReport, pk=report_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        kind = "Safeguarding concern" if self.report.safeguarding else "Report"
        return f"{kind} about {self.report.listing_title or 'a listing'}"

    def get(self, request, *args, **kwargs):
        if self.report.safeguarding:
            audit(
                actor=request.user,
                action="safeguarding_concern_viewed",
                obj=self.report,
                summary="Safeguarding concern opened",
            )
        return super().get(request, *args, **kwargs)

    def steps(self) -> list[tuple[str, str]]:
        if not self.report.safeguarding:
            return []
        targets = CONCERNS.allowed_moves(self.request.user, self.report)
        return [(t, ConcernStatus(t).label) for t in targets]

    def get_context_data(self, **kwargs):
        report, status = self.report, {"expected_status": self.report.status}
        steps = self.steps()
        open_report = not report.safeguarding and report.status == ReportStatus.OPEN
        if steps:
            kwargs.setdefault(
                "step_form", ConcernStepForm(steps=steps, initial=status, prefix="step")
            )
        if open_report:
            kwargs.setdefault("deal_form", DealWithReportForm(initial=status, prefix="deal_with"))
            kwargs.setdefault(
                "concern_form", MakeConcernForm(initial=status, prefix="make_concern")
            )
        kwargs.setdefault("note_form", ReportNoteForm(prefix="note"))
        return super().get_context_data(
            report=report,
            history=history(report),
            SAFEGUARDING_EMAIL=settings.SAFEGUARDING_EMAIL,
            LADO_EMAIL=settings.LADO_EMAIL,
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        forms = {
            "step": (ConcernStepForm, {"steps": self.steps()}, "step_form"),
            "deal_with": (DealWithReportForm, {}, "deal_form"),
            "make_concern": (MakeConcernForm, {}, "concern_form"),
            "note": (ReportNoteForm, {}, "note_form"),
        }
        if action not in forms or (action == "step" and not self.report.safeguarding):
            messages.error(request, "Choose what to do with the report.")
            return redirect(request.path)
        form_class, extra, name = forms[action]
        form = form_class(request.POST, prefix=action, **extra)
        if form.is_valid():
            try:
                done = self.act(action, form.cleaned_data)
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, done)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(**{name: form}))

    def act(self, action: str, data: dict) -> str:
        user, report = self.request.user, self.report
        expected = data.get("expected_status") or None
        if action == "note":
            reports.listing_report_note(user=user, report=report, note=data["note"])
            return "Note added."
        if action == "deal_with":
            reports.listing_report_deal_with(
                user=user, report=report, note=data["note"], expected_status=expected
            )
            return f"Report on {report.listing_title or 'a listing'} marked as dealt with."
        if action == "make_concern":
            reports.listing_report_make_concern(
                user=user, report=report, note=data["note"], expected_status=expected
            )
            return "This is now a safeguarding concern. It has been sent to the safeguarding inbox."
        report = reports.concern_move(
            user=user, report=report, to=data["to"], note=data["note"], expected_status=expected
        )
        return f"Safeguarding concern now “{report.get_status_display()}”."


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
        "concerns": ListingReport.objects.filter(safeguarding=True, resolved_at=None).count(),
        "reports": ListingReport.objects.filter(safeguarding=False, resolved_at=None).count(),
        "dbs_awaiting": checks["awaiting"],
        "dbs_lapsed": checks["lapsed"],
        "insurance_lapsed": lapsed_insurance(on).count(),
    }
