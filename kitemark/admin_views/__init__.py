"""The kitemark in the Wagtail admin: the coordinator's audits, panel decisions and overview,
and the provider's own kitemark page. Thin: each view checks who may see it, then calls a
service, which checks again before it writes anything.

The views live in modules by area; this package re-exports them for the admin's URLs.
"""

from ._base import AUDITS, AuditMixin, KitemarkView
from .auditors import AuditorDataView, AuditorEraseView
from .audits import (
    BUTTONS,
    AuditDetailView,
    AuditIndexView,
    AuditPanelView,
    AuditQuotesView,
    AuditRequestView,
    AuditScheduleView,
    AuditTransitionView,
    side_by_side,
)
from .overview import AuditorAddView, AuditorPasswordView, OverviewView, StandardSetActionView
from .provider import ProviderKitemarkView

__all__ = [
    "AUDITS",
    "AuditDetailView",
    "AuditIndexView",
    "AuditMixin",
    "AuditPanelView",
    "AuditQuotesView",
    "AuditRequestView",
    "AuditScheduleView",
    "AuditTransitionView",
    "AuditorAddView",
    "AuditorDataView",
    "AuditorEraseView",
    "AuditorPasswordView",
    "BUTTONS",
    "KitemarkView",
    "OverviewView",
    "ProviderKitemarkView",
    "StandardSetActionView",
    "side_by_side",
]
