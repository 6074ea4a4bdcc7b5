"""What every kitemark admin view shares: the base view, the audit lookup and the breadcrumbs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import permissions
from ..models import Audit

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": "Dashboard"}
AUDITS = {"url": reverse_lazy("kitemark_admin:audits"), "label": "Kitemark audits"}
PER_PAGE = 50


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
