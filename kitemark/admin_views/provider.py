"""The provider's own kitemark page."""

from directory.permissions import organisations_of

from .. import permissions
from ..models import Audit
from ._base import KitemarkView
from .audits import side_by_side


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
