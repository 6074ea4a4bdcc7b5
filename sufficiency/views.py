"""The sufficiency dashboard in the Wagtail admin, for council staff and commissioners: is there
enough, of the right kinds, for the right ages and needs, within reach of rural families, at
evenings, weekends and holidays? Every table downloads as CSV (`?download=<table>.csv`), with
the same filters and with counts of 1 to 4 suppressed."""

from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header

from core.admin_base import StaffAdminView
from core.dates import today
from core.roles import is_council_staff

from .demand import brokerage_tables, unmet_tables
from .filters import read_filters
from .reach import reach_tables
from .supply import classification_loaded, supply_tables
from .trends import trend_table
from .voices import voices_tables

SECTIONS = (
    ("supply", "Supply: listings in the directory today", supply_tables),
    ("demand", "Demand: searches that found too little", unmet_tables),
    ("brokerage", "Demand: requests to the brokerage service", brokerage_tables),
    ("trends", "Trends by month", lambda filters: [trend_table(filters)]),
    ("reach", "Reach: services within a family's travel distance of each ward", reach_tables),
    ("voices", "Families' and young people's views", voices_tables),
)


class DashboardView(StaffAdminView):
    page_title = "Sufficiency"
    header_icon = "table"
    template_name = "sufficiency/dashboard.html"

    def allowed(self, user) -> bool:
        return is_council_staff(user)

    def get(self, request, *args, **kwargs):
        self.form, self.filters = read_filters(request.GET)
        if "download" in request.GET:
            return self.download(request.GET["download"])
        return super().get(request, *args, **kwargs)

    def download(self, name: str):
        for _key, _title, tables in SECTIONS:
            for table in tables(self.filters):
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
            sections=[
                {"id": key, "title": title, "tables": tables(self.filters)}
                for key, title, tables in SECTIONS
            ],
        )
        return context
