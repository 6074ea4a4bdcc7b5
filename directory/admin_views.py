"""Staff views inside the Wagtail admin: safeguarding (DBS), provider applications, reports,
and one-click confirmation of a listing. Thin: each checks who may see the page, then calls a
service, which checks again before it writes anything."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin import messages

from core.admin_base import StaffAdminView, form_errors_to_form
from core.audit import audit
from core.dates import today

from . import permissions, services
from .badges import dbs_badge, freshness_badge
from .choices import ApplicationStatus, DBSStatus
from .filters import ApplicationFilter, SafeguardingFilter
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


class SafeguardingIndexView(StaffView):
    template_name = "directory/admin/safeguarding_index.html"
    page_title = "Safeguarding: DBS checks"

    def allowed(self, user):
        return permissions.is_council_staff(user) or permissions.organisations_of(user).exists()

    def get_context_data(self, **kwargs):
        user = self.request.user
        people = with_latest_check(people_visible_to(user)).order_by(
            "organisation__name", "full_name"
        )
        filterset = SafeguardingFilter(
            self.request.GET or None, queryset=people, request=self.request
        )
        page = self.paginate(filterset.qs)
        people = list(page.object_list)
        checks = DBSCheck.objects.in_bulk([p.latest_check_id for p in people if p.latest_check_id])
        on = today()
        rows = []
        for person in people:
            check = checks.get(person.latest_check_id)
            rows.append(
                {
                    "person": person,
                    "check": check,
                    "status": check.status(on) if check else DBSStatus.NONE,
                    "certificate": (
                        check.certificate_number
                        if check and permissions.can_view_certificate(user, check)
                        else (check.masked_certificate if check else "")
                    ),
                }
            )
        return super().get_context_data(
            filter=filterset,
            rows=rows,
            page_obj=page,
            query_string=self.query_string(),
            can_verify=permissions.can_verify_dbs(user),
            statuses=DBSStatus,
            **kwargs,
        )


class StaffMemberAddView(StaffView):
    template_name = "directory/admin/form.html"
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
    template_name = "directory/admin/form.html"
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


class ApplicationIndexView(StaffView):
    template_name = "directory/admin/applications_index.html"
    page_title = "Provider applications"
    header_icon = "user"

    def get_context_data(self, **kwargs):
        data = self.request.GET or {"status": ApplicationStatus.CONFIRMED}
        filterset = ApplicationFilter(data, queryset=ProviderApplication.objects.all())
        page = self.paginate(filterset.qs)
        return super().get_context_data(
            filter=filterset,
            applications=page.object_list,
            page_obj=page,
            query_string=self.query_string(),
            **kwargs,
        )


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


class ReportIndexView(StaffView):
    template_name = "directory/admin/reports_index.html"
    page_title = "Problems reported by families"
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        show = self.request.GET.get("show", "open")
        reports = ListingReport.objects.select_related("listing", "resolved_by")
        if show != "all":
            show = "open"
            reports = reports.filter(resolved_at=None)
        page = self.paginate(reports)
        return super().get_context_data(
            reports=page.object_list,
            page_obj=page,
            query_string=self.query_string(),
            show=show,
            **kwargs,
        )

    def post(self, request):
        report_id = request.POST.get("report", "")
        report = get_object_or_404(ListingReport, pk=int(report_id) if report_id.isdigit() else 0)
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
