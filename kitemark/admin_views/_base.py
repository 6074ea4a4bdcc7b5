"""What every kitemark admin view shares: the base view, the audit lookup and the breadcrumbs."""

from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from core.admin_base import StaffAdminView

from .. import permissions
from ..models import Audit

AUDITS = {"url": reverse_lazy("kitemark_admin:audits"), "label": "Kitemark audits"}


class KitemarkView(StaffAdminView):
    """A kitemark coordinator's page."""

    header_icon = "tick-inverse"

    def allowed(self, user) -> bool:
        return permissions.is_coordinator(user)


class AuditMixin:
    def setup(self, request, *args, audit_id, **kwargs):
        super().setup(request, *args, **kwargs)
        self.audit = get_object_or_404(
            Audit.objects.select_related("listing", "standard_set", "requested_by"), pk=audit_id
        )
