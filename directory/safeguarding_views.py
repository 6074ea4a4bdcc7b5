"""Safeguarding in the Wagtail admin: the people who work with children, their DBS checks
(each full certificate number on one check's page, every view recorded), adding people and
checks, and council staff verifying them. Thin: each view checks who may see the page, then
calls a service, which checks again before it writes anything."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton

from core.admin_base import (
    StaffListingView,
    StatusColumn,
    TemplateColumn,
    form_errors_to_form,
)
from core.admin_export import SpreadsheetExport, chunks, local_date
from core.audit import audit
from core.dates import today

from . import dbs_reviews, permissions, services
from .admin_views import StaffView
from .choices import DBSStatus
from .filters import SafeguardingFilter
from .forms import DBSCheckForm, StaffMemberForm, VerifyDBSForm
from .models import (
    DBSCheck,
    Organisation,
    StaffMember,
    with_latest_check,
)
from .workflow import DBS_CHECKS


def people_visible_to(user):
    """Council staff see everyone; a provider sees their own organisation's people only."""
    people = StaffMember.objects.select_related("organisation")
    if permissions.is_council_staff(user):
        return people
    return people.filter(organisation__in=permissions.organisations_of(user))


class SafeguardingIndexView(SpreadsheetExport, StaffListingView):
    """People who work with children and their latest DBS check: council staff see everyone,
    a provider their own organisations' people. Council staff may download the list, with its
    filters applied, as a spreadsheet; certificate numbers are masked there as here."""

    page_title = "Safeguarding: DBS checks"
    index_url_name = "directory_admin:dbs_checks"
    index_results_url_name = "directory_admin:dbs_checks_results"
    filterset_class = SafeguardingFilter
    results_template_name = "directory/admin/safeguarding_results.html"
    verbose_name_plural = "people"
    export_headings = {
        "person": "Person",
        "role": "Role",
        "organisation": "Organisation",
        "level": "Level",
        "certificate": "Certificate",
        "review": "Council review",
        "status": "Status",
        "issued": "Issued",
        "next_due": "Next due",
        "verified_on": "Verified on",
    }
    list_export = list(export_headings)
    export_filename = "dbs-checks"

    def allowed(self, user):
        return permissions.is_council_staff(user) or permissions.organisations_of(user).exists()

    def may_export(self, user):
        return permissions.is_council_staff(user)

    @cached_property
    def header_buttons(self):
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
            TemplateColumn(
                "review",
                label="Council review",
                cell_template_name="directory/admin/cells/dbs_review.html",
            ),
            TemplateColumn(
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
        attach_checks(people)
        return paginator, page, people, is_paginated

    def export_items(self, queryset):
        """Each person with their latest check, a chunk at a time."""
        size = self.export_chunk_size
        for people in chunks(queryset.iterator(chunk_size=size), size):
            attach_checks(people)
            yield from people

    def to_row_dict(self, person):
        check = person.latest_check
        return {
            "person": person.full_name,
            "role": person.role,
            "organisation": person.organisation.name,
            "level": check.get_level_display() if check else "",
            # Masked as on the list: the full number is only ever on one check's page.
            "certificate": check.masked_certificate if check else "",
            "review": check.get_review_display() if check else "",
            "status": status_of(person, self.export_date).label,
            "issued": check.issue_date if check else None,
            "next_due": check.next_due_date if check else None,
            "verified_on": local_date(check.verified_at) if check else None,
        }

    @cached_property
    def export_date(self):
        return today()


def attach_checks(people) -> None:
    """Each person's latest check that counts, and a newer rejected one (with its reason)."""
    ids = {i for p in people for i in (p.latest_check_id, p.newest_check_id) if i}
    checks = DBSCheck.objects.in_bulk(ids)
    for person in people:
        person.latest_check = checks.get(person.latest_check_id)
        newest = checks.get(person.newest_check_id)
        person.rejected_check = newest if newest and not newest.counts else None


def person_and_role(person) -> str:
    return f"{person.full_name} ({person.role})" if person.role else person.full_name


def level_of(person) -> str:
    return person.latest_check.get_level_display() if person.latest_check else "-"


def status_of(person, on: datetime.date):
    return person.latest_check.status(on) if person.latest_check else DBSStatus.NONE


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
            moves=DBS_CHECKS.allowed_moves(self.request.user, self.check),
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
            VerifyDBSForm(initial={"expected_status": self.check.review}),
        )
        return super().get_context_data(
            check=self.check,
            moves=DBS_CHECKS.allowed_moves(self.request.user, self.check),
            **kwargs,
        )

    def post(self, request):
        form = VerifyDBSForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dbs_reviews.dbs_check_verify(
                    user=request.user,
                    check=self.check,
                    method=data["method"],
                    status_check_on=data["status_check_on"],
                    date_of_birth_used=data["date_of_birth_used"],
                    method_note=data["method_note"],
                    next_due_date=data["next_due_date"],
                    expected_status=data["expected_status"] or None,
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, f"DBS check for {self.check.person.full_name} verified.")
                return redirect("directory_admin:dbs_checks")
        return self.render_to_response(self.get_context_data(form=form))
