"""The kitemark inside the Wagtail admin: audits, the panel, the overview, standards versions and
young auditors for the coordinator; a Kitemark page for providers."""

from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.admin_base import PredicateMenuItem, listing_urls
from directory.permissions import is_council_staff, organisations_of

from . import admin_views, permissions, services
from .choices import OPEN, AuditStatus
from .forms import AuditorProfileForm
from .models import Audit, AuditorProfile, StandardSet
from .services import overdue_reaudits

admin_urlpatterns = [
    *listing_urls("", admin_views.AuditIndexView, "audits"),
    path("overview/", admin_views.OverviewView.as_view(), name="overview"),
    path("request/", admin_views.AuditRequestView.as_view(), name="request"),
    path("provider/", admin_views.ProviderKitemarkView.as_view(), name="provider"),
    path("audits/<id:audit_id>/", admin_views.AuditDetailView.as_view(), name="audit_detail"),
    path(
        "audits/<id:audit_id>/schedule/",
        admin_views.AuditScheduleView.as_view(),
        name="audit_schedule",
    ),
    path(
        "audits/<id:audit_id>/move/",
        admin_views.AuditTransitionView.as_view(),
        name="audit_transition",
    ),
    path("audits/<id:audit_id>/panel/", admin_views.AuditPanelView.as_view(), name="audit_panel"),
    path(
        "audits/<id:audit_id>/quotes/", admin_views.AuditQuotesView.as_view(), name="audit_quotes"
    ),
    path("auditors/add/", admin_views.AuditorAddView.as_view(), name="auditor_add"),
    path(
        "auditors/<id:profile_id>/password/",
        admin_views.AuditorPasswordView.as_view(),
        name="auditor_password",
    ),
    path(
        "auditors/<id:profile_id>/data/",
        admin_views.AuditorDataView.as_view(),
        name="auditor_data",
    ),
    path(
        "auditors/<id:profile_id>/erase/",
        admin_views.AuditorEraseView.as_view(),
        name="auditor_erase",
    ),
    path(
        "standards/<id:set_id>/<str:action>/",
        admin_views.StandardSetActionView.as_view(),
        name="standard_set_action",
    ),
]


@hooks.register("register_admin_urls")
def register_kitemark_admin_urls():
    return [path("kitemark/", include((admin_urlpatterns, "kitemark_admin")))]


def is_provider_only(user) -> bool:
    return not permissions.is_coordinator(user) and organisations_of(user).exists()


def is_council_only(user) -> bool:
    return is_council_staff(user) and not permissions.is_coordinator(user)


@hooks.register("register_admin_menu_item")
def council_kitemark_menu_item():
    return PredicateMenuItem(
        "Ask for a kitemark audit",
        reverse("kitemark_admin:request"),
        icon_name="tick-inverse",
        order=251,
        predicate=is_council_only,
    )


@hooks.register("register_admin_menu_item")
def provider_kitemark_menu_item():
    return PredicateMenuItem(
        "Kitemark",
        reverse("kitemark_admin:provider"),
        icon_name="tick-inverse",
        order=250,
        predicate=is_provider_only,
    )


# --- Standards versions and young auditors (ModelViewSets, by model permission) -----------------


class StandardSetEditView(EditView):
    """A published version is frozen: audits point at it. Changes go in a new version."""

    def dispatch(self, request, *args, **kwargs):
        standard_set = StandardSet.objects.filter(pk=kwargs.get("pk")).first()
        if standard_set is not None and standard_set.is_published:
            messages.warning(
                request,
                f"Version {standard_set.version} is published, so it cannot change. "
                "Make a new version from it instead.",
            )
            return redirect("kitemark_standards:index")
        return super().dispatch(request, *args, **kwargs)


class StandardSetViewSet(ModelViewSet):
    model = StandardSet
    icon = "list-ol"
    menu_label = "Standards"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "introduction",
        "written_with",
        "published_on",
        "standards_text",
    ]
    edit_view_class = StandardSetEditView
    list_display = ["__str__", "title", "published_on"]
    index_template_name = "kitemark/admin/standard_sets_index.html"


class AuditorAddRedirect(CreateView):
    """Adding an auditor also makes their account: that is the kitemark's own form."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("kitemark_admin:auditor_add")


class AuditorEraseRedirect(DeleteView):
    """Deleting a young auditor is erasing them: the kitemark's own page, which also removes
    their account, comments and photos and keeps the panel's decisions."""

    def dispatch(self, request, *args, pk=None, **kwargs):
        return redirect("kitemark_admin:auditor_erase", pk)


class AuditorEditView(EditView):
    """The panel member's details and the short username they sign in with (a change of
    username goes in the audit trail)."""

    def save_instance(self):
        profile = super().save_instance()
        services.auditor_username_set(
            user=self.request.user, profile=profile, username=self.form.cleaned_data["username"]
        )
        return profile


class AuditorViewSet(ModelViewSet):
    model = AuditorProfile
    edit_handler = ObjectList(
        [FieldPanel("username"), *AuditorProfile.panels], base_form_class=AuditorProfileForm
    )
    add_view_class = AuditorAddRedirect
    edit_view_class = AuditorEditView
    delete_view_class = AuditorEraseRedirect
    icon = "user"
    menu_label = "Young auditors"
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_admin_menu = False
    list_display = ["first_name", "age_band", "training_completed_on", "active"]
    list_filter = ["age_band", "active"]
    search_fields = ["first_name"]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_coordinator(request.user)


class KitemarkGroup(ViewSetGroup):
    menu_label = "Kitemark"
    menu_icon = "tick-inverse"
    menu_order = 245

    items = [StandardSetViewSet("kitemark_standards"), AuditorViewSet("kitemark_auditors")]

    def get_submenu_items(self):
        return [
            CoordinatorMenuItem("Audits", reverse("kitemark_admin:audits"), icon_name="tasks"),
            CoordinatorMenuItem("Overview", reverse("kitemark_admin:overview"), icon_name="view"),
            *super().get_submenu_items(),
        ]


@hooks.register("register_admin_viewset")
def register_kitemark_viewsets():
    return [KitemarkGroup()]


# --- Dashboard -------------------------------------------------------------------------------


class CoordinatorPanel(Component):
    name = "kitemark_coordinator"
    order = 45
    template_name = "kitemark/admin/panels/coordinator.html"

    def get_context_data(self, parent_context):
        return {
            "submitted": Audit.objects.filter(status=AuditStatus.SUBMITTED).count(),
            "requested": Audit.objects.filter(status=AuditStatus.REQUESTED).count(),
            "with_panel": Audit.objects.filter(status=AuditStatus.WITH_PANEL).count(),
            "open": Audit.objects.filter(status__in=OPEN).count(),
            "renewals": Audit.objects.filter(status=AuditStatus.RENEWAL_DUE).count(),
            "overdue_reaudits": overdue_reaudits().count(),
        }


@hooks.register("construct_homepage_panels")
def add_kitemark_panels(request, panels):
    if permissions.is_coordinator(request.user):
        panels.append(CoordinatorPanel())
