"""A young auditor's data, for the coordinator: download it for them (or their parent), and
erase it when they ask or leave the panel (`kitemark.privacy`)."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from wagtail.admin import messages

from .. import privacy
from ..forms import AuditorEraseForm
from ..models import AuditorProfile
from ._base import KitemarkView

CRUMBS = [{"url": reverse_lazy("kitemark_auditors:index"), "label": "Young auditors"}]


class AuditorMixin:
    crumbs = CRUMBS

    def setup(self, request, *args, profile_id, **kwargs):
        super().setup(request, *args, **kwargs)
        self.profile = get_object_or_404(
            AuditorProfile.objects.select_related("user"), pk=profile_id
        )


class AuditorDataView(AuditorMixin, KitemarkView):
    def get(self, request, *args, **kwargs):
        data = privacy.auditor_export(user=request.user, profile=self.profile)
        response = HttpResponse(
            json.dumps(data, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="kitemark-auditor-data.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class AuditorEraseView(AuditorMixin, KitemarkView):
    template_name = "core/admin/form.html"

    def get_page_title(self):
        return f"Erase {self.profile.first_name}'s data"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AuditorEraseForm())
        return super().get_context_data(
            submit_label="Erase",
            intro=f"{self.profile.first_name}'s account, profile, access needs, comments and "
            "photos are deleted. The panel's decisions stay, and the ratings of reviews they "
            'sent stay with them as "A former panel member". A review not yet sent, for an '
            "audit still open, is deleted. Download their data first if they want a copy.",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AuditorEraseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        privacy.auditor_erase(
            user=request.user, profile=self.profile, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The young auditor's data has been erased.")
        return redirect("kitemark_auditors:index")
