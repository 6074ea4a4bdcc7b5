"""Staff views inside the Wagtail admin: safeguarding (DBS), provider applications, reports,
and one-click confirmation of a listing. Thin: each checks who may see the page, then calls a
service, which checks again before it writes anything."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton

from core.admin_base import StaffAdminView, StaffListingView, form_errors_to_form
from core.audit import audit
from core.dates import today
from core.parsing import parse_id

from . import permissions, services
from .badges import dbs_badge, freshness_badge
from .choices import ApplicationStatus, DBSStatus
from .filters import ApplicationFilter, ReportFilter, SafeguardingFilter
from .forms import DBSCheckForm, DeclineApplicationForm, StaffMemberForm, VerifyDBSForm
from .models import (
    DBSCheck,
    ListingPage,
    ListingReport,
    Organisation,
    ProviderApplication,
    StaffMember,
)


class StaffView(StaffAdminView):
    """A council staff page (safeguarding, applications, reports)."""

    def allowed(self, user) -> bool:
        return permissions.is_council_staff(user)


# --- Safeguarding (DBS) --------------------------------------------------------------------


def people_visible_to(user):
    """Council staff see everyone; a provider sees their own organisation's people only."""
    people = StaffMember.objects.select_related("organisation")
    if permissions.is_council_staff(user):
        return people
    return people.filter(organisation__in=permissions.organisations_of(user))


def with_latest_check(people):
    latest = DBSCheck.objects.filter(person=OuterRef("pk")).order_by("-issue_date", "-pk")
    return people.annotate(
        latest_check_id=Subquery(latest.values("pk")[:1]),
        latest_next_due=Subquery(latest.values("next_due_date")[:1]),
        latest_verified_at=Subquery(latest.values("verified_at")[:1]),
    )


class SafeguardingIndexView(StaffListingView):
    """People who work with children and their latest DBS check: council staff see everyone,
    a provider their own organisations' people."""

    page_title = "Safeguarding: DBS checks"
    index_url_name = "directory_admin:dbs_checks"
    index_results_url_name = "directory_admin:dbs_checks_results"
    filterset_class = SafeguardingFilter
    results_template_name = "directory/admin/safeguarding_results.html"
    verbose_name_plural = "people"

    def allowed(self, user):
        return permissions.is_council_staff(user) or permissions.organisations_of(user).exists()

    def get_header_buttons(self):
        return [
            HeaderButton("Add a person", url=reverse("directory_admin:staff_add"), icon_name="plus")
        ]

    def get_base_queryset(self):
        return with_latest_check(people_visible_to(self.request.user)).select_related(
            "organisation"
        )

    def order_queryset(self, queryset):
        return queryset.order_by("organisation__name", "full_name", "pk")

    @cached_property
    def columns(self):
        user = self.request.user
        on = today()

        def certificate(person):
            # Masked for everyone: the full number is on one check's page, each view recorded.
            check = person.latest_check
            return check.masked_certificate if check else "-"

        def check_date(name):
            def value(person):
                day = getattr(person.latest_check, name, None)
                return date_format(day, "j M Y") if day else "-"

            return value

        return [
            Column("full_name", label="Person", accessor=lambda p: person_and_role(p)),
            Column("organisation", label="Organisation", accessor="organisation.name"),
            Column("level", label="Level", accessor=lambda p: level_of(p)),
            Column("certificate", label="Certificate", accessor=certificate),
            Column("issued", label="Issued", accessor=check_date("issue_date")),
            Column("next_due", label="Next due", accessor=check_date("next_due_date")),
            StatusColumn("status", label="Status", accessor=lambda p: status_of(p, on)),
            ActionsColumn(
                "actions",
                label="Actions",
                cell_template_name="directory/admin/cells/dbs_actions.html",
                can_verify=permissions.can_verify_dbs(user),
                is_council_staff=permissions.is_council_staff(user),
                user_id=user.pk,
            ),
        ]

    def paginate_queryset(self, queryset, page_size):
        paginator, page, people, is_paginated = super().paginate_queryset(queryset, page_size)
        people = list(people)
        checks = DBSCheck.objects.in_bulk([p.latest_check_id for p in people if p.latest_check_id])
        for person in people:
            person.latest_check = checks.get(person.latest_check_id)
        return paginator, page, people, is_paginated


def person_and_role(person) -> str:
    return f"{person.full_name} ({person.role})" if person.role else person.full_name


def level_of(person) -> str:
    return person.latest_check.get_level_display() if person.latest_check else "-"


def status_of(person, on: datetime.date):
    return person.latest_check.status(on) if person.latest_check else DBSStatus.NONE


class StatusColumn(Column):
    """A status tag (Wagtail's) with the status's label."""

    cell_template_name = "directory/admin/cells/status.html"


class ActionsColumn(Column):
    """A cell drawn by a template that is given the row and the column's own settings."""

    def __init__(self, name, *, cell_template_name, **options):
        super().__init__(name, accessor=lambda row: row)
        self.cell_template_name = cell_template_name
        self.options = options

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(self.options, row=instance)
        return context


class StaffMemberAddView(StaffView):
    template_name = "core/admin/form.html"
    page_title = "Add a person who works with children"
    crumbs = [{"url": reverse_lazy("directory_admin:dbs_checks"), "label": "Safeguarding"}]

    def allowed(self, user):
        return permissions.is_council_staff(user) or permissions.organisations_of(user).exists()

    def organisations(self):
        if permissions.is_council_staff(self.request.user):
            return Organisation.objects.all()
        return permissions.organisations_of(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", StaffMemberForm(organisations=self.organisations()))
        return super().get_context_data(submit_label="Add person", **kwargs)

    def post(self, request):
        form = StaffMemberForm(request.POST, organisations=self.organisations())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        person = services.staff_member_add(user=request.user, **form.cleaned_data)
        messages.success(request, f"{person.full_name} added. Now add their DBS check.")
        return redirect("directory_admin:dbs_check_add", person.pk)


class DBSCheckAddView(StaffView):
    template_name = "core/admin/form.html"
    crumbs = [{"url": reverse_lazy("directory_admin:dbs_checks"), "label": "Safeguarding"}]

    def dispatch(self, request, *args, person_id, **kwargs):
        self.person = get_object_or_404(StaffMember, pk=person_id)
        if not permissions.can_submit_dbs(request.user, self.person):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user):
        return True  # checked against the person in dispatch

    def get_page_title(self):
        return f"DBS check for {self.person.full_name}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DBSCheckForm())
        return super().get_context_data(
            submit_label="Send for verification",
            intro="The council checks these details against the certificate or the DBS "
            "Update Service. Until then the listing shows the check as not yet verified.",
            **kwargs,
        )

    def post(self, request):
        form = DBSCheckForm(request.POST)
        if form.is_valid():
            try:
                services.dbs_check_submit(
                    user=request.user, person=self.person, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, "DBS check sent to the council for verification.")
                return redirect("directory_admin:dbs_checks")
        return self.render_to_response(self.get_context_data(form=form))


class DBSCheckDetailView(StaffView):
    """One DBS check with its full certificate number: for council staff and the person it
    belongs to only, and every view is recorded in the audit trail."""

    template_name = "directory/admin/dbs_check.html"
    crumbs = [{"url": reverse_lazy("directory_admin:dbs_checks"), "label": "Safeguarding"}]

    def allowed(self, user):
        return permissions.can_view_certificate(user, self.check)

    def dispatch(self, request, *args, check_id, **kwargs):
        self.check = get_object_or_404(
            DBSCheck.objects.select_related("person__organisation", "submitted_by", "verified_by"),
            pk=check_id,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"DBS check for {self.check.person.full_name}"

    def get(self, request, *args, **kwargs):
        audit(
            actor=request.user,
            action="dbs_certificate_viewed",
            obj=self.check,
            summary="Certificate number shown",
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            check=self.check,
            can_verify=permissions.can_verify_dbs(self.request.user) and not self.check.verified,
            **kwargs,
        )


class DBSCheckVerifyView(StaffView):
    template_name = "directory/admin/dbs_verify.html"
    crumbs = [{"url": reverse_lazy("directory_admin:dbs_checks"), "label": "Safeguarding"}]

    def allowed(self, user):
        return permissions.can_verify_dbs(user)

    def dispatch(self, request, *args, check_id, **kwargs):
        self.check = get_object_or_404(
            DBSCheck.objects.select_related("person__organisation"), pk=check_id
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Verify the DBS check for {self.check.person.full_name}"

    def get(self, request, *args, **kwargs):
        audit(
            actor=request.user,
            action="dbs_certificate_viewed",
            obj=self.check,
            summary="Certificate number shown for verification",
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form",
            VerifyDBSForm(initial={"next_due_date": self.check.next_due_date}),
        )
        return super().get_context_data(check=self.check, **kwargs)

    def post(self, request):
        form = VerifyDBSForm(request.POST)
        if form.is_valid():
            try:
                services.dbs_check_verify(
                    user=request.user,
                    check=self.check,
                    next_due_date=form.cleaned_data["next_due_date"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, f"DBS check for {self.check.person.full_name} verified.")
                return redirect("directory_admin:dbs_checks")
        return self.render_to_response(self.get_context_data(form=form))


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
        ActionsColumn(
            "reason", label="Problem", cell_template_name="directory/admin/cells/report_reason.html"
        ),
        ActionsColumn(
            "details",
            label="Details",
            cell_template_name="directory/admin/cells/report_details.html",
        ),
        Column(
            "reply_email", label="Reply to", accessor=lambda r: r.reply_email or "No reply wanted"
        ),
        DateColumn("created_at", label="Received"),
        ActionsColumn(
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
        }
        for listing in listings
    ]


def council_attention_counts(on: datetime.date | None = None) -> dict[str, int]:
    on = on or today()
    checks = with_latest_check(StaffMember.objects.all()).aggregate(
        awaiting=Count("pk", filter=Q(latest_check_id__isnull=False, latest_verified_at=None)),
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
