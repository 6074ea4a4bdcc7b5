"""The kitemark in the Wagtail admin: the coordinator's audits, panel decisions and overview,
and the provider's own kitemark page. Thin: each view checks who may see it, then calls a
service, which checks again before it writes anything."""

import datetime
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.dates import add_months, today
from directory.models import ListingPage
from directory.permissions import is_council_staff, organisations_of

from . import permissions, services
from .choices import OPEN, AuditStatus, Rating
from .forms import (
    AuditorCreateForm,
    AuditorPasswordForm,
    DecisionForm,
    RequestAuditForm,
    ScheduleForm,
    TransitionForm,
)
from .models import Answer, Assignment, Audit, AuditorProfile, StandardSet

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": "Dashboard"}
AUDITS = {"url": reverse_lazy("kitemark_admin:audits"), "label": "Kitemark audits"}
PER_PAGE = 50

# Moves offered as buttons on an audit's page (the others have their own forms).
BUTTONS = {
    AuditStatus.IN_PROGRESS: "Start reviews now",
    AuditStatus.SUBMITTED: "Close the reviews (send to the panel's papers)",
    AuditStatus.WITH_PANEL: "Take to the panel",
    AuditStatus.WITHDRAWN: "Withdraw the kitemark",
    AuditStatus.CANCELLED: "Cancel this audit",
}


def errors_to_form(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class KitemarkView(WagtailAdminTemplateMixin, TemplateView):
    """An admin page with breadcrumbs; `allowed(user)` guards every method."""

    header_icon = "tick-inverse"
    crumbs: list = []

    def allowed(self, user) -> bool:
        return permissions.is_coordinator(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [HOME, *self.crumbs, {"url": "", "label": self.get_page_title()}]


class AuditMixin:
    def setup(self, request, *args, audit_id, **kwargs):
        super().setup(request, *args, **kwargs)
        self.audit = get_object_or_404(
            Audit.objects.select_related("listing", "standard_set", "requested_by"), pk=audit_id
        )


# --- Coordinator: audits -------------------------------------------------------------------------


class AuditIndexView(KitemarkView):
    template_name = "kitemark/admin/audits.html"
    page_title = "Kitemark audits"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        audits = Audit.objects.select_related("listing").annotate(
            team=Count("assignments", distinct=True)
        )
        if status in AuditStatus.values:
            audits = audits.filter(status=status)
        else:
            status = ""
        counts = Counter(Audit.objects.values_list("status", flat=True))
        page = Paginator(audits.order_by("-updated_at", "-pk"), PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        return super().get_context_data(
            page_obj=page,
            audits=page.object_list,
            status=status,
            query_string=f"status={status}" if status else "",
            states=[(s.value, s.label, counts.get(s.value, 0)) for s in AuditStatus],
            **kwargs,
        )


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
    template_name = "kitemark/admin/form.html"
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
                    auditors=list(form.cleaned_data["auditors"]),
                    supporting_adult=form.cleaned_data["supporting_adult"],
                    expected_status=form.cleaned_data["expected_status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
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
                errors_to_form(form, error)
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
        chosen = int(chosen) if chosen.isdigit() else None
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
            shown=self.shown(int(chosen) if chosen.isdigit() else None),
        )
        if form.is_valid():
            try:
                audit = services.audit_request(
                    user=request.user,
                    listing=form.cleaned_data["listing"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
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


# --- Coordinator: overview and auditors --------------------------------------------------------


class OverviewView(KitemarkView):
    template_name = "kitemark/admin/overview.html"
    page_title = "Kitemark overview"

    def get_context_data(self, **kwargs):
        on = today()
        counts = Counter(Audit.objects.values_list("status", flat=True))
        auditors = AuditorProfile.objects.filter(active=True).annotate(
            visits=Count("assignments", distinct=True),
            sent=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
            waiting=Count(
                "assignments",
                filter=Q(
                    assignments__submitted_at__isnull=True,
                    assignments__audit__status__in=OPEN,
                ),
            ),
            last_sent=Max("assignments__submitted_at"),
        )
        training_soon = on + datetime.timedelta(days=60)
        late = on - datetime.timedelta(days=settings.KITEMARK_REVIEW_DAYS)
        return super().get_context_data(
            states=[(s.value, s.label, counts.get(s.value, 0)) for s in AuditStatus],
            overdue_reaudits=services.overdue_reaudits(on=on),
            renewals=Audit.objects.filter(status=AuditStatus.RENEWAL_DUE)
            .select_related("listing")
            .order_by("expires_on"),
            upcoming=Audit.objects.filter(status=AuditStatus.SCHEDULED, visit_date__gte=on)
            .select_related("listing")
            .order_by("visit_date"),
            overdue_reviews=Assignment.objects.filter(
                audit__status__in=services.REVIEWABLE,
                audit__visit_date__lt=late,
                submitted_at__isnull=True,
            ).select_related("audit__listing", "auditor"),
            auditors=auditors,
            training_due=[
                a
                for a in auditors
                if a.training_due_on is None or a.training_due_on <= training_soon
            ],
            on=on,
            **kwargs,
        )


class AuditorAddView(KitemarkView):
    template_name = "kitemark/admin/form.html"
    page_title = "Add a young auditor"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AuditorCreateForm())
        return super().get_context_data(
            submit_label="Add young auditor",
            intro="Keep it to the minimum: a first name and an age band, never a date of birth. "
            "They sign in on the public site, not here.",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AuditorCreateForm(request.POST)
        if form.is_valid():
            try:
                profile = services.auditor_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"{profile.first_name} can now sign in.")
                return redirect("kitemark_auditors:index")
        return self.render_to_response(self.get_context_data(form=form))


class AuditorPasswordView(KitemarkView):
    template_name = "kitemark/admin/form.html"
    crumbs = [{"url": reverse_lazy("kitemark_admin:overview"), "label": "Kitemark overview"}]

    def setup(self, request, *args, profile_id, **kwargs):
        super().setup(request, *args, **kwargs)
        self.profile = get_object_or_404(
            AuditorProfile.objects.select_related("user"), pk=profile_id
        )

    def get_page_title(self):
        return f"A new password for {self.profile.first_name}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AuditorPasswordForm())
        return super().get_context_data(
            submit_label="Set the new password",
            intro=f"{self.profile.first_name} signs in on the public site with the username "
            f"{self.profile.user.get_username()}.",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AuditorPasswordForm(request.POST)
        if form.is_valid():
            try:
                services.auditor_set_password(
                    user=request.user, profile=self.profile, password=form.cleaned_data["password"]
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"{self.profile.first_name}'s password is changed.")
                return redirect("kitemark_admin:overview")
        return self.render_to_response(self.get_context_data(form=form))


class StandardSetActionView(KitemarkView):
    http_method_names = ["post"]

    def post(self, request, set_id: int, action: str):
        if action not in ("publish", "new-version"):
            raise Http404("No such action")
        standard_set = get_object_or_404(StandardSet, pk=set_id)
        try:
            if action == "publish":
                services.standard_set_publish(user=request.user, standard_set=standard_set)
                messages.success(request, f"Version {standard_set.version} is published.")
            else:
                draft = services.standard_set_new_version(user=request.user, source=standard_set)
                messages.success(request, f"Version {draft.version} made as a draft to change.")
                return redirect("kitemark_standards:edit", draft.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("kitemark_standards:index")


# --- Providers ---------------------------------------------------------------------------------


class ProviderKitemarkView(KitemarkView):
    """A provider's own listings' audits. Reviews and advice show only after the decision."""

    template_name = "kitemark/admin/provider.html"
    page_title = "Kitemark"

    def allowed(self, user):
        return organisations_of(user).exists() or permissions.is_coordinator(user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        audits = (
            Audit.objects.filter(listing__organisation__in=organisations_of(user))
            .select_related("listing")
            .order_by("listing__title", "-pk")
        )
        rows = []
        for audit in audits:
            feedback = permissions.can_see_feedback(user, audit) and audit.is_decided
            row = {"audit": audit, "feedback": feedback}
            if feedback:
                row["assignments"], row["rows"] = side_by_side(audit)
            rows.append(row)
        return super().get_context_data(rows=rows, **kwargs)
