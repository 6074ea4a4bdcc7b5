"""The coordinator's overview, young auditors' accounts and standard sets."""

import datetime
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from wagtail.admin import messages

from core.admin_base import form_errors_to_form
from core.dates import today

from .. import services
from ..choices import OPEN, AuditStatus
from ..forms import AuditorCreateForm, AuditorPasswordForm
from ..models import Assignment, Audit, AuditorProfile, StandardSet
from ._base import KitemarkView


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
    template_name = "core/admin/form.html"
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
                form_errors_to_form(form, error)
            else:
                messages.success(request, f"{profile.first_name} can now sign in.")
                return redirect("kitemark_auditors:index")
        return self.render_to_response(self.get_context_data(form=form))


class AuditorPasswordView(KitemarkView):
    template_name = "core/admin/form.html"
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
        form = AuditorPasswordForm(request.POST, user=self.profile.user)
        if form.is_valid():
            try:
                services.auditor_set_password(
                    user=request.user, profile=self.profile, password=form.cleaned_data["password"]
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
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
