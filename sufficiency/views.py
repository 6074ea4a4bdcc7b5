"""The sufficiency dashboard in the Wagtail admin, for council staff and commissioners: is there
enough, of the right kinds, for the right ages and needs, within reach of rural families, at
evenings, weekends and holidays? Every table downloads as CSV (`?download=<table>.csv`), with
the same filters and with counts of 1 to 4 suppressed."""

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import content_disposition_header
from django.views import View

from core.admin_base import StaffAdminView, StaffOnly
from core.dates import today
from core.roles import is_council_staff

from .demand import brokerage_tables, unmet_tables
from .filters import read_filters
from .reach import reach_tables
from .refresh import latest_refresh
from .supply import classification_loaded, supply_tables
from .tasks import refresh_sufficiency
from .trends import trend_table
from .voices import voices_tables

# Each section: its id, its title, and its tables (given the filters and whether to read the
# daily count, which holds every section).
SECTIONS = (
    ("supply", "Supply: listings in the directory today", supply_tables),
    ("demand", "Demand: searches that found too little", unmet_tables),
    ("brokerage", "Demand: requests to the brokerage service", brokerage_tables),
    ("trends", "Trends by month", lambda filters, stored: [trend_table(filters, stored)]),
    ("reach", "Reach: services within a family's travel distance of each ward", reach_tables),
    ("voices", "Families' and young people's views", voices_tables),
)


def as_at(moment) -> str:
    return format_date(timezone.localtime(moment), "j F Y, H:i")


class DashboardView(StaffAdminView):
    page_title = "Sufficiency"
    header_icon = "table"
    template_name = "sufficiency/dashboard.html"

    def allowed(self, user) -> bool:
        return is_council_staff(user)

    def get(self, request, *args, **kwargs):
        self.form, self.filters = read_filters(request.GET)
        self.refresh = latest_refresh()
        self.now = timezone.now()
        if "download" in request.GET:
            return self.download(request.GET["download"])
        return super().get(request, *args, **kwargs)

    def tables(self, tables) -> list:
        """A section's tables, from the daily count when there is one."""
        from_count = self.refresh is not None
        found = tables(self.filters, from_count)
        for table in found:
            table.counted_now = table.counted_now or not from_count
            table.as_at = as_at(self.now if table.counted_now else self.refresh.counted_at)
        return found

    def section(self, key, title, tables) -> dict:
        found = self.tables(tables)
        daily = not any(table.counted_now for table in found)
        return {
            "id": key,
            "title": title,
            "tables": found,
            "as_at": as_at(self.refresh.counted_at if daily else self.now),
            "daily": daily,
        }

    def download(self, name: str):
        # A table's id starts with its section's ("demand-council", "trends"): only that
        # section is counted (reach is slow, and needless for the other downloads).
        section = name.removesuffix(".csv").split("-")[0]
        for key, _title, tables in SECTIONS:
            if key != section:
                continue
            for table in self.tables(tables):
                if table.filename == name:
                    response = StreamingHttpResponse(
                        table.csv(), content_type="text/csv; charset=utf-8"
                    )
                    response["Content-Disposition"] = content_disposition_header(
                        True, f"{table.id}-{today().isoformat()}.csv"
                    )
                    return response
        raise Http404("There is no such table to download")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("download", None)
        rural_asked = self.filters.rural is not None
        context.update(
            form=self.form,
            filters=self.filters,
            problems=self.filters.problems,
            query=params.urlencode(),
            no_classification=rural_asked and not classification_loaded(),
            refresh=self.refresh,
            refreshed_at=as_at(self.refresh.counted_at) if self.refresh else "",
            sections=[self.section(*section) for section in SECTIONS],
        )
        return context


class RefreshView(StaffOnly, View):
    """ "Refresh now": queue the count for the task worker and go back to the dashboard."""

    http_method_names = ["post"]

    def allowed(self, user) -> bool:
        return is_council_staff(user)

    def post(self, request, *args, **kwargs):
        refresh_sufficiency.enqueue(requested_by=request.user.get_username())
        messages.success(
            request,
            "The figures are being counted again. This takes a few minutes; the dashboard "
            "shows the new date and time when they are ready.",
        )
        return redirect("sufficiency_admin:dashboard")
