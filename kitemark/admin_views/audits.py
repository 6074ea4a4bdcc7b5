"""The coordinator's audits: the list, an audit's page, its moves, scheduling, the panel's
decision, the quotes it publishes, and requesting an audit.
"""

from collections import Counter

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets import HeaderButton

from core.admin_base import StaffListingView, StatusColumn, form_errors_to_form
from core.dates import add_months, today
from core.parsing import parse_id
from directory.models import ListingPage
from directory.permissions import is_council_staff, organisations_of

from .. import permissions, services
from ..choices import OPEN, AuditStatus, Rating
from ..forms import DecisionForm, RequestAuditForm, ScheduleForm, TransitionForm
from ..models import Answer, Audit
from ._base import AUDITS, AuditMixin, KitemarkView

# Moves offered as buttons on an audit's page (the others have their own forms).
BUTTONS = {
    AuditStatus.IN_PROGRESS: "Start reviews now",
    AuditStatus.SUBMITTED: "Close the reviews (send to the panel's papers)",
    AuditStatus.WITH_PANEL: "Take to the panel",
    AuditStatus.WITHDRAWN: "Withdraw the kitemark",
    AuditStatus.CANCELLED: "Cancel this audit",
}


class AuditFilter(django_filters.FilterSet):
    """Audits in one state; each state says how many audits are in it."""

    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label="State")

    class Meta:
        model = Audit
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = Counter(Audit.objects.values_list("status", flat=True))
        self.filters["status"].extra["choices"] = [
            (state.value, f"{state.label} ({counts.get(state.value, 0)})") for state in AuditStatus
        ]


class AuditIndexView(StaffListingView):
    """Audits of settings by young auditors, from the request to the panel's decision."""

    page_title = "Kitemark audits"
    header_icon = "tick-inverse"
    index_url_name = "kitemark_admin:audits"
    index_results_url_name = "kitemark_admin:audits_results"
    filterset_class = AuditFilter
    results_template_name = "kitemark/admin/audits_results.html"
    verbose_name_plural = "audits"
    columns = [
        TitleColumn(
            "listing",
            label="Setting",
            accessor="listing.title",
            get_url=lambda audit: reverse("kitemark_admin:audit_detail", args=[audit.pk]),
        ),
        StatusColumn("status", label="State", accessor=lambda a: AuditStatus(a.status)),
        Column("visit_date", label="Visit", accessor=lambda a: day_or_dash(a.visit_date)),
        Column("team", label="Auditors"),
        Column("expires_on", label="Award until", accessor=lambda a: day_or_dash(a.expires_on)),
        Column("updated_at", label="Last change", accessor=lambda a: day_or_dash(a.updated_at)),
    ]

    def allowed(self, user) -> bool:
        return permissions.is_coordinator(user)

    def get_header_buttons(self):
        return [
            HeaderButton(
                "Ask for an audit", url=reverse("kitemark_admin:request"), icon_name="plus"
            )
        ]

    def get_base_queryset(self):
        return Audit.objects.select_related("listing").annotate(
            team=Count("assignments", distinct=True)
        )

    def order_queryset(self, queryset):
        return queryset.order_by("-updated_at", "-pk")


def day_or_dash(value) -> str:
    return date_format(value, "j M Y") if value else "-"


class AuditDetailView(AuditMixin, KitemarkView):
    template_name = "kitemark/admin/audit_detail.html"
    crumbs = [AUDITS]

    def get_page_title(self):
        return f"Kitemark audit: {self.audit.listing.title}"

    def get_context_data(self, **kwargs):
        audit = self.audit
        moves = services.allowed_moves(self.request.user, audit)
        buttons = [
            (to, BUTTONS[to])
            for to in moves
            if to in BUTTONS and not (to == AuditStatus.SUBMITTED and audit.status != "in_progress")
        ]
        return super().get_context_data(
            audit=audit,
            events=audit.events.select_related("actor"),
            assignments=audit.assignments.select_related("auditor").annotate(
                answered=Count("answers")
            ),
            total=audit.standard_set.standards.count(),
            buttons=buttons,
            can_schedule=AuditStatus.SCHEDULED in moves,
            can_decide=audit.status == AuditStatus.WITH_PANEL,
            can_see_answers=audit.status
            not in (AuditStatus.REQUESTED, AuditStatus.SCHEDULED, AuditStatus.CANCELLED),
            **kwargs,
        )


class AuditTransitionView(AuditMixin, KitemarkView):
    """One button: a move with an optional (sometimes required) note."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Something was missing: try again.")
            return redirect("kitemark_admin:audit_detail", self.audit.pk)
        try:
            services.audit_transition(
                user=request.user,
                audit=self.audit,
                to=form.cleaned_data["to"],
                expected_status=form.cleaned_data["expected_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except (KeyError, ValueError):
            messages.error(request, "That is not a change this audit can make.")
        else:
            messages.success(request, f"The audit is now '{self.audit.get_status_display()}'.")
        return redirect("kitemark_admin:audit_detail", self.audit.pk)


class AuditScheduleView(AuditMixin, KitemarkView):
    template_name = "core/admin/form.html"
    crumbs = [AUDITS]

    def get_page_title(self):
        return f"Book the visit to {self.audit.listing.title}"

    def get_context_data(self, **kwargs):
        audit = self.audit
        kwargs.setdefault(
            "form",
            ScheduleForm(
                initial={
                    "expected_status": audit.status,
                    "visit_date": audit.visit_date,
                    "visit_time": audit.visit_time,
                    "supporting_adult": audit.supporting_adult,
                    "auditors": [a.auditor_id for a in audit.assignments.all()],
                }
            ),
        )
        return super().get_context_data(
            submit_label="Book the visit",
            intro="The young auditors and the setting are told. At least "
            f"{settings.KITEMARK_MIN_AUDITORS} auditors and a supporting adult go on every visit.",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ScheduleForm(request.POST)
        if form.is_valid():
            try:
                services.audit_schedule(
                    user=request.user,
                    audit=self.audit,
                    visit_date=form.cleaned_data["visit_date"],
                    visit_time=form.cleaned_data["visit_time"],
                    auditors=list(form.cleaned_data["auditors"]),
                    supporting_adult=form.cleaned_data["supporting_adult"],
                    expected_status=form.cleaned_data["expected_status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, "Visit booked. The auditors have been told.")
                return redirect("kitemark_admin:audit_detail", self.audit.pk)
        return self.render_to_response(self.get_context_data(form=form))


def side_by_side(audit: Audit) -> tuple[list, list]:
    """Every auditor's answer to each standard in one row; a row where they disagree is
    marked, so the panel talks about it."""
    assignments = list(audit.assignments.select_related("auditor").order_by("auditor__first_name"))
    answers = {
        (a.assignment_id, a.standard_id): a for a in Answer.objects.filter(assignment__audit=audit)
    }
    rows = []
    for standard in audit.standard_set.standards.all():
        cells = [answers.get((a.pk, standard.pk)) for a in assignments]
        ratings = {c.rating for c in cells if c}
        rows.append(
            {
                "standard": standard,
                "cells": cells,
                "disagree": len(ratings) > 1,
                "yes": sum(1 for c in cells if c and c.rating == Rating.YES),
            }
        )
    return assignments, rows


class AuditPanelView(AuditMixin, KitemarkView):
    """The panel's papers: answers side by side, disagreements highlighted, and the decision
    (with the quotes that may be published)."""

    template_name = "kitemark/admin/panel.html"
    crumbs = [AUDITS]

    def get_page_title(self):
        return f"Panel: {self.audit.listing.title}"

    def dispatch(self, request, *args, **kwargs):
        if self.audit.status in (AuditStatus.REQUESTED, AuditStatus.CANCELLED):
            if permissions.is_coordinator(request.user):
                return redirect("kitemark_admin:audit_detail", self.audit.pk)
        return super().dispatch(request, *args, **kwargs)

    def quotes(self):
        return list(
            Answer.objects.filter(assignment__audit=self.audit)
            .exclude(comment="")
            .select_related("standard")
        )

    def get_context_data(self, **kwargs):
        audit = self.audit
        assignments, rows = side_by_side(audit)
        deciding = audit.status == AuditStatus.WITH_PANEL
        if deciding:
            kwargs.setdefault(
                "form",
                DecisionForm(
                    quotes=self.quotes(),
                    initial={
                        "expected_status": audit.status,
                        "reaudit_due_on": add_months(today(), settings.KITEMARK_REAUDIT_MONTHS),
                    },
                ),
            )
        return super().get_context_data(
            audit=audit,
            assignments=assignments,
            rows=rows,
            deciding=deciding,
            disagreements=sum(r["disagree"] for r in rows),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST, quotes=self.quotes())
        if form.is_valid():
            data = form.cleaned_data
            decision = services.Decision(
                awarded=data["outcome"] == "award",
                reasons=data["reasons"],
                advice=data["advice"],
                improvement_actions=data["improvement_actions"],
                training_offered=data["training_offered"],
                reaudit_due_on=data["reaudit_due_on"],
                public_summary=data["public_summary"],
                award_months=data["award_months"],
            )
            try:
                services.audit_decide(
                    user=request.user,
                    audit=self.audit,
                    decision=decision,
                    published_answer_ids=[int(i) for i in data["published_answers"]],
                    expected_status=data["expected_status"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, "The panel's decision is recorded and the setting told.")
                return redirect("kitemark_admin:audit_detail", self.audit.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AuditQuotesView(AuditMixin, KitemarkView):
    """After the decision: change which comments the public page shows."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            ids = [int(i) for i in request.POST.getlist("published_answers")]
            services.audit_publish_quotes(user=request.user, audit=self.audit, answer_ids=ids)
        except (ValueError, ValidationError):
            messages.error(request, "Only comments from this audit can be published.")
        else:
            messages.success(request, "The published quotes are saved.")
        return redirect("kitemark_admin:audit_detail", self.audit.pk)


class AuditRequestView(KitemarkView):
    """Ask for an audit: providers for their own listings; the coordinator or council for any."""

    template_name = "kitemark/admin/request.html"
    page_title = "Ask for a kitemark audit"

    def allowed(self, user):
        return (
            permissions.is_coordinator(user)
            or is_council_staff(user)
            or organisations_of(user).exists()
        )

    def listings(self):
        user = self.request.user
        listings = ListingPage.objects.filter(live=True).order_by("title")
        if not (permissions.is_coordinator(user) or is_council_staff(user)):
            listings = listings.filter(organisation__in=organisations_of(user))
        return listings.exclude(audits__status__in=OPEN)

    SHOWN = 50

    def is_staff(self) -> bool:
        return permissions.is_coordinator(self.request.user) or is_council_staff(self.request.user)

    def shown(self, chosen=None):
        """Staff find the listing by name or town first (there may be thousands)."""
        if not self.is_staff():
            return None
        query = self.request.GET.get("q", "").strip()[:100]
        found = []
        if query:
            found = list(
                self.listings().filter(Q(title__icontains=query) | Q(town__icontains=query))[
                    : self.SHOWN
                ]
            )
        if chosen and chosen not in {listing.pk for listing in found}:
            found += list(self.listings().filter(pk=chosen))
        return found

    def get_context_data(self, **kwargs):
        initial = {}
        chosen = self.request.GET.get("listing", "")
        chosen = parse_id(chosen)
        if chosen:
            initial["listing"] = chosen
        shown = self.shown(chosen)
        kwargs.setdefault(
            "form", RequestAuditForm(listings=self.listings(), shown=shown, initial=initial)
        )
        return super().get_context_data(
            submit_label="Ask for an audit",
            intro="Young auditors visit, check the setting against the kitemark standards and "
            "the panel decides. You will see their feedback and advice here once it has.",
            searching=self.is_staff(),
            query=self.request.GET.get("q", "")[:100],
            found=shown,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        chosen = request.POST.get("listing", "")
        form = RequestAuditForm(
            request.POST,
            listings=self.listings(),
            shown=self.shown(parse_id(chosen)),
        )
        if form.is_valid():
            try:
                audit = services.audit_request(
                    user=request.user,
                    listing=form.cleaned_data["listing"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(
                    request, "Audit requested. The kitemark coordinator will be in touch."
                )
                if permissions.is_coordinator(request.user):
                    return redirect("kitemark_admin:audit_detail", audit.pk)
                if organisations_of(request.user).exists():
                    return redirect("kitemark_admin:provider")
                return redirect("kitemark_admin:request")
        return self.render_to_response(self.get_context_data(form=form))
