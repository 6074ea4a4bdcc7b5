"""The council's review of a DBS check beyond verifying it, in the Wagtail admin: council staff
query a check (the provider is told what is missing) or reject it (with a reason), and the
provider answers a query. Thin: each view checks who may open it, then calls a service in
`dbs_reviews`, which checks again, and the workflow engine, which checks the move. None of
these pages shows the certificate number."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from wagtail.admin import messages

from core.admin_base import form_errors_to_form

from . import dbs_reviews, permissions
from .admin_views import StaffView
from .choices import DBSReview
from .forms import DBSAnswerForm, DBSReviewNoteForm
from .models import DBSCheck
from .workflow import DBS_CHECKS, QUERY_REASON, REJECT_REASON

CRUMBS = [{"url": reverse_lazy("directory_admin:dbs_checks"), "label": "Safeguarding"}]


class DBSCheckMoveView(StaffView):
    """One move of a check, for whoever the workflow lets make it now. Each page gives its
    `target` state, `make_form`, `save` (the service call) and `done_message`."""

    template_name = "directory/admin/dbs_review.html"
    crumbs = CRUMBS
    target: str = ""
    submit_label = "Send"

    def dispatch(self, request, *args, check_id, **kwargs):
        self.check = get_object_or_404(
            DBSCheck.objects.select_related("person__organisation"), pk=check_id
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.make_form(initial={"expected_status": self.check.review}))
        return super().get_context_data(
            check=self.check,
            submit_label=self.submit_label,
            can_move=self.target in DBS_CHECKS.allowed_moves(self.request.user, self.check),
            **kwargs,
        )

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.save(form.cleaned_data)
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, self.done_message())
                return redirect("directory_admin:dbs_checks")
        return self.render_to_response(self.get_context_data(form=form))


class DBSCheckQueryView(DBSCheckMoveView):
    target = DBSReview.QUERIED
    submit_label = "Send the question to the provider"

    def allowed(self, user):
        return permissions.can_verify_dbs(user)

    def get_page_title(self):
        return f"Ask about the DBS check for {self.check.person.full_name}"

    def make_form(self, *args, **kwargs):
        return DBSReviewNoteForm(
            *args, label="What is missing?", required_message=QUERY_REASON, **kwargs
        )

    def save(self, data):
        dbs_reviews.dbs_check_query(
            user=self.request.user,
            check=self.check,
            note=data["note"],
            expected_status=data["expected_status"] or None,
        )

    def done_message(self):
        return f"The provider has been asked for what is missing for {self.check.person.full_name}."


class DBSCheckRejectView(DBSCheckQueryView):
    target = DBSReview.REJECTED
    submit_label = "Reject the check"

    def get_page_title(self):
        return f"Reject the DBS check for {self.check.person.full_name}"

    def make_form(self, *args, **kwargs):
        return DBSReviewNoteForm(
            *args, label="Why is it rejected?", required_message=REJECT_REASON, **kwargs
        )

    def save(self, data):
        dbs_reviews.dbs_check_reject(
            user=self.request.user,
            check=self.check,
            note=data["note"],
            expected_status=data["expected_status"] or None,
        )

    def done_message(self):
        return f"DBS check for {self.check.person.full_name} rejected; the provider has been told."


class DBSCheckAnswerView(DBSCheckMoveView):
    """The provider (or council staff for them) answers the council's query. The form never
    holds the certificate number sent before: a new one replaces it, a blank keeps it."""

    target = DBSReview.SUBMITTED
    submit_label = "Send the answer to the council"

    def allowed(self, user):
        if not permissions.can_submit_dbs(user, self.check.person):
            raise PermissionDenied
        return True

    def get_page_title(self):
        return f"Answer the council about the DBS check for {self.check.person.full_name}"

    def make_form(self, *args, **kwargs):
        if not args:
            check = self.check
            kwargs["initial"] = {
                **kwargs.get("initial", {}),
                "level": check.level,
                "issue_date": check.issue_date,
                "update_service": check.update_service,
                "last_status_check": check.last_status_check,
            }
        return DBSAnswerForm(*args, **kwargs)

    def save(self, data):
        dbs_reviews.dbs_check_answer(
            user=self.request.user,
            check=self.check,
            note=data["note"],
            level=data["level"],
            issue_date=data["issue_date"],
            certificate_number=data["certificate_number"],
            update_service=data["update_service"],
            last_status_check=data["last_status_check"],
            expected_status=data["expected_status"] or None,
        )

    def done_message(self):
        return "Your answer has gone to the council, which will check the details again."
