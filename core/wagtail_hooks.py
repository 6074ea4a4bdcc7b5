"""What the Wagtail admin shows beyond a person's own work.

A provider's editors use the admin for their own organisation's pages only. Wagtail's reports
(locked pages, site history, ageing pages, workflows, page types) list every organisation's
listings, drafts included, and the names of the staff who changed them, so they are for council
staff: the Reports menu is hidden from everyone else here, and the report pages themselves
refuse them (`core.middleware.AdminScopeMiddleware`). The page chooser (choosing a
page to link to) offers someone who is not council staff only the pages they may edit, and the
pages above them so they can get there.
"""

from django.http import Http404
from wagtail import hooks
from wagtail.models import Page

from .admin_base import choosable_page_ids
from .roles import is_council_staff


@hooks.register("construct_page_chooser_queryset")
def only_a_providers_own_pages(pages, request):
    if is_council_staff(request.user):
        return pages
    allowed = choosable_page_ids(request.user)
    match = getattr(request, "resolver_match", None)
    parent_id = match.kwargs.get("parent_page_id") if match else None
    if parent_id is not None and int(parent_id) not in allowed:
        # Browsing below someone else's page would show its title and its children's.
        root = Page.get_first_root_node()
        if int(parent_id) != root.pk:
            raise Http404
    return pages.filter(pk__in=sorted(allowed))


@hooks.register("construct_reports_menu")
def reports_for_council_staff_only(request, menu_items):
    if not is_council_staff(request.user):
        menu_items[:] = []
