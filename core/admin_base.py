"""What every staff page inside the Wagtail admin shares: the base views (who may see them,
breadcrumbs, pagination), putting a service's refusal on a form, and a menu item shown only to
the people a rule lets in. Feature apps build their admin screens on these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": "Dashboard"}
EDITING = {"add", "change", "publish"}
PER_PAGE = 50


def form_errors_to_form(form, error: ValidationError):
    """Put a service's ValidationError on the form, field by field where it can."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class StaffOnly:
    """`allowed(user)` guards every method of the view, and lets nobody in unless a subclass
    says who may."""

    def allowed(self, user) -> bool:
        return False

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffAdminView(StaffOnly, WagtailAdminTemplateMixin, TemplateView):
    """An admin page with breadcrumbs, for the staff `allowed` lets in."""

    header_icon = "lock"
    crumbs: list = []

    def get_breadcrumbs_items(self):
        return [HOME, *self.crumbs, {"url": "", "label": self.get_page_title()}]


class StaffListingView(StaffOnly, BaseListingView):
    """A staff index screen on Wagtail's listing view: its table, filters (a django-filter
    filterset), ordering and pagination, for the staff `allowed` lets in. Register the view
    twice, once with `results_only=True` under `index_results_url_name`, so filtering
    refreshes the table in place."""

    header_icon = "lock"
    paginate_by = PER_PAGE
    breadcrumbs_items = [HOME]


def listing_urls(route: str, view: type[StaffListingView], name: str) -> list:
    """A listing screen's two URLs: the page, and its table alone (`<name>_results`), which
    Wagtail's filters fetch to refresh the table in place."""
    return [
        path(route, view.as_view(), name=name),
        path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]


class StatusColumn(Column):
    """A cell with Wagtail's status tag showing the value's label (a Django choice)."""

    cell_template_name = "core/admin/status_cell.html"


class TemplateColumn(Column):
    """A cell drawn by `cell_template_name`, given the row and the column's own options."""

    def __init__(self, name, *, cell_template_name, **options):
        super().__init__(name, accessor=lambda row: row)
        self.cell_template_name = cell_template_name
        self.options = options

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(self.options, row=instance)
        return context


class PredicateMenuItem(MenuItem):
    """A menu item shown only to users for whom `predicate(user)` is true."""

    def __init__(self, *args, predicate, **kwargs):
        super().__init__(*args, **kwargs)
        self.predicate = predicate

    def is_shown(self, request):
        return self.predicate(request.user)


def choosable_page_ids(user) -> set[int]:
    """The pages a person who is not council staff may pick: those they may edit, and the
    pages above them (the home page and the directory, so they can browse down)."""
    policy = PagePermissionPolicy()
    ids = set(
        policy.instances_user_has_any_permission_for(user, EDITING).values_list("pk", flat=True)
    )
    for permission in policy.get_cached_permissions_for_user(user):
        ids |= set(Page.objects.ancestor_of(permission.page).values_list("pk", flat=True))
    return ids
