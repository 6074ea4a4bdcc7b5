"""Importing listings in the admin, for council staff: upload a spreadsheet or give an Open
Referral UK feed, see the dry run (what would be created, updated, left unchanged, and every
row that cannot be imported, with why), map the spreadsheet's columns, then import, in the
background, as drafts for moderation or published at once."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy

from core.admin_base import StaffAdminView
from directory import permissions

from .importer import runs, sources
from .models import ImportRun
from .spreadsheet import COLUMNS

MAX_UPLOAD = sources.MAX_BYTES
ROWS_SHOWN = 500
CRUMBS = [{"url": reverse_lazy("openref_imports:index"), "label": "Import listings"}]


class ImportForm(forms.Form):
    source = forms.CharField(
        label="Source name",
        max_length=200,
        required=False,
        help_text="Importing a source again by the same name updates the listings it made. "
        "Leave blank to use the file's name or the feed's address.",
    )
    file = forms.FileField(
        label="Spreadsheet or feed file",
        required=False,
        help_text="CSV or Excel (.xlsx) with a row of column names, or an Open Referral UK "
        "feed saved as .json or .ndjson. At most 50 MB.",
    )
    url = forms.URLField(
        label="Or the address of an Open Referral UK feed",
        required=False,
        assume_scheme="https",
        help_text="For example https://example.org/api/openreferral/",
    )

    def clean(self):
        data = super().clean()
        upload, url = data.get("file"), data.get("url")
        if bool(upload) == bool(url):
            raise ValidationError("Choose a file, or enter a feed's address (not both)")
        if upload:
            if upload.size > MAX_UPLOAD:
                self.add_error("file", "The file is larger than 50 MB: split it and import each")
            elif runs.format_for(upload.name) is None:
                self.add_error("file", "Choose a .csv, .xlsx, .json or .ndjson file")
        return data


class ApplyForm(forms.Form):
    publish = forms.TypedChoiceField(
        label="When they are imported",
        choices=[
            ("0", "Send each listing to council moderation, as a provider's change would be"),
            ("1", "Publish them at once (I have checked them)"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )


class MappingForm(forms.Form):
    """Which field each of the spreadsheet's columns holds."""

    def __init__(self, *args, headers: list[str], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not imported")] + [(c.key, c.header) for c in COLUMNS]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or f"Column {index + 1}",
                choices=choices,
                required=False,
                initial=mapping.get(str(index), ""),
            )

    def clean(self):
        data = super().clean()
        chosen = [value for value in data.values() if value]
        repeated = {value for value in chosen if chosen.count(value) > 1}
        if repeated:
            names = ", ".join(c.header for c in COLUMNS if c.key in repeated)
            raise ValidationError(f"Choose each field for one column only: {names}")
        return data

    def mapping(self) -> dict[int, str]:
        return {
            int(name.removeprefix("column_")): value
            for name, value in self.cleaned_data.items()
            if value
        }


class CouncilStaffOnly:
    def allowed(self, user) -> bool:
        return permissions.is_council_staff(user)


class ImportIndexView(CouncilStaffOnly, StaffAdminView):
    template_name = "openref/admin/import_index.html"
    page_title = "Import listings"
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportForm())
        kwargs["runs"] = ImportRun.objects.select_related("created_by").defer("content")[:20]
        kwargs["columns"] = COLUMNS
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload, url = form.cleaned_data["file"], form.cleaned_data["url"]
        try:
            if upload:
                origin, format = upload.name, runs.format_for(upload.name)
                content = upload.read()
            else:
                origin, format = url, ImportRun.Format.ORUK
                content = sources.fetch_feed(url)
            run = runs.start(
                user=request.user,
                source=form.cleaned_data["source"] or origin,
                origin=origin,
                format=format,
                content=content,
            )
        except sources.SourceError as error:
            form.add_error("url" if url else "file", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("openref_imports:run", run.pk)


class ImportRunView(CouncilStaffOnly, StaffAdminView):
    template_name = "openref/admin/import_run.html"
    header_icon = "upload"
    crumbs = CRUMBS

    def get_page_title(self):
        return f"Import from {self.run.origin}"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):  # before looking it up: no hint which runs exist
            raise PermissionDenied
        self.run = get_object_or_404(ImportRun.objects.defer("content"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        run = self.run
        preview = run.preview or {}
        rows = preview.get("rows", [])
        problems = [r for r in rows if r["outcome"] == "error"]
        others = [r for r in rows if r["outcome"] != "error"]
        shown = (problems + others)[:ROWS_SHOWN]
        if run.state == ImportRun.State.CHECKED and run.format != ImportRun.Format.ORUK:
            kwargs.setdefault(
                "mapping_form",
                MappingForm(headers=run.headers, mapping=run.mapping or {}),
            )
        kwargs.setdefault("apply_form", ApplyForm())
        counts = preview.get("counts", {})
        kwargs.update(
            run=run,
            counts=counts,
            importable=counts.get("create", 0) + counts.get("update", 0),
            rows=shown,
            rows_hidden=max(0, len(rows) - len(shown)),
            new_organisations=preview.get("new_organisations", []),
            possible_duplicates=preview.get("possible_duplicates", []),
            working=run.state in (ImportRun.State.QUEUED, ImportRun.State.APPLYING),
            result=run.result or {},
        )
        return super().get_context_data(**kwargs)

    def post(self, request, pk):
        action = request.POST.get("action")
        run = self.run
        if run.state != ImportRun.State.CHECKED:
            messages.warning(request, "This import has already been dealt with")
            return redirect("openref_imports:run", run.pk)
        if action == "recheck":
            form = MappingForm(request.POST, headers=run.headers, mapping=run.mapping or {})
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(mapping_form=form))
            full = ImportRun.objects.get(pk=run.pk)
            runs.recheck(full, mapping=form.mapping())
            messages.success(request, "Checked again with the columns as you chose")
        elif action == "apply":
            form = ApplyForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(apply_form=form))
            if runs.queue(run, user=request.user, publish=form.cleaned_data["publish"]):
                messages.success(request, "Importing: this page shows how far it has got")
        elif action == "cancel":
            runs.cancel(run, user=request.user)
            messages.success(request, "Not imported: nothing was changed")
            return redirect("openref_imports:index")
        else:
            messages.error(request, "Choose what to do with this import")
        return redirect(reverse("openref_imports:run", args=[run.pk]))
