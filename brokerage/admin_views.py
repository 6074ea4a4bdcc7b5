"""The broker's workspace and the provider's offers, inside the Wagtail admin. Thin: each view
checks who may see the page, then calls a service, which checks again before writing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from wagtail.admin import messages

from core.admin_base import StaffAdminView, form_errors_to_form
from core.parsing import parse_id, parse_ids
from core.roles import council_staff, is_council_staff
from directory.models import ListingPage

from . import matching, permissions, services
from .admin_forms import (
    AffiliationForm,
    AgreementForm,
    FellThroughForm,
    ReviewForm,
    UnmatchedForm,
)
from .choices import CLOSED_STATUSES, OfferStatus, Status
from .models import Affiliation, BrokerProfile, SupportRequest
from .queue import queue_rows
from .views import answer_rows

QUEUE = {"url": reverse_lazy("brokerage_admin:queue"), "label": "Brokerage"}
OFFERS = {"url": reverse_lazy("brokerage_admin:offers"), "label": "Requests for help"}


class BrokerView(StaffAdminView):
    header_icon = "clipboard-list"
    crumbs = [QUEUE]

    def allowed(self, user):
        return permissions.is_broker(user)


class QueueView(BrokerView):
    template_name = "brokerage/admin/queue.html"
    page_title = "Brokerage: requests for support"
    crumbs: list = []

    def get_context_data(self, **kwargs):
        user = self.request.user
        profile = BrokerProfile.objects.filter(user=user).first()
        visible = permissions.requests_for_broker(user).select_related("funding")
        now = timezone.now()
        waiting = queue_rows(visible.filter(status=Status.SUBMITTED), now)
        mine = queue_rows(visible.filter(broker=user).exclude(status__in=CLOSED_STATUSES), now)
        return super().get_context_data(
            waiting=waiting,
            mine=mine,
            expiring=[(row, offer) for row in mine for offer in row.expiring],
            closed=visible.filter(broker=user, status__in=CLOSED_STATUSES)[:20],
            profile=profile,
            ready=bool(profile and profile.accepted_code),
            has_areas=bool(permissions.broker_areas(user)),
            **kwargs,
        )


def taken_message(found: SupportRequest) -> str:
    if found.broker_id:
        name = found.broker.get_full_name() or found.broker.get_username()
        return (
            f"Request {found.reference} has already been assigned to {name}, so it is no "
            "longer in your queue. Nothing was changed."
        )
    return f"Request {found.reference} is no longer in your queue. Nothing was changed."


class RequestMixin:
    def dispatch(self, request, *args, pk, **kwargs):
        self.found = get_object_or_404(SupportRequest, pk=pk)
        user = request.user
        if not permissions.is_broker(user):
            raise PermissionDenied
        if not permissions.can_view_request(user, self.found):
            if self.found.local_authority_code in permissions.broker_areas(user):
                # It was in this broker's queue: say clearly why it no longer is.
                messages.error(request, taken_message(self.found))
                return redirect("brokerage_admin:queue")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect("brokerage_admin:request", self.found.pk)


class RequestView(RequestMixin, BrokerView):
    template_name = "brokerage/admin/request.html"

    def get_page_title(self):
        return f"Request {self.found.reference}"

    def get_context_data(self, **kwargs):
        found = self.found
        kwargs.setdefault("unmatched_form", UnmatchedForm())
        kwargs.setdefault("fell_through_form", FellThroughForm())
        return super().get_context_data(
            found=found,
            mine=found.broker_id == self.request.user.pk,
            rows=answer_rows(found),
            events=found.events.select_related("actor", "offer__listing"),
            offers=found.offers.select_related("listing", "organisation"),
            agreement=getattr(found, "agreement", None),
            overdue=found.first_contact_overdue(),
            due=found.first_contact_due(),
            closed=found.status in CLOSED_STATUSES,
            conflicts=services.conflicting_organisations(self.request.user, found),
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        expected = request.POST.get("expected_status") or None
        user, found = request.user, self.found
        try:
            if action == "assign":
                services.request_assign(user=user, request=found, expected_status=expected)
                messages.success(request, f"Request {found.reference} is now yours.")
            elif action == "release":
                services.request_release(user=user, request=found, expected_status=expected)
                messages.success(request, "Returned to the queue.")
                return redirect("brokerage_admin:queue")
            elif action == "first_contact":
                services.first_contact_record(
                    user=user, request=found, note=request.POST.get("note", "")[:300]
                )
                messages.success(request, "First contact recorded.")
            elif action == "withdraw":
                services.request_withdraw(
                    user=user,
                    request=found,
                    expected_status=expected,
                    note="Withdrawn by the broker",
                )
                messages.success(request, "Request withdrawn.")
            elif action == "unmatched":
                form = UnmatchedForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(unmatched_form=form))
                services.request_close_unmatched(
                    user=user,
                    request=found,
                    reasons=form.cleaned_data["reasons"],
                    expected_status=expected,
                )
                messages.success(request, "Closed: no suitable provider. Recorded as unmet demand.")
            elif action == "fell_through":
                form = FellThroughForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(fell_through_form=form))
                services.agreement_fell_through(
                    user=user,
                    request=found,
                    reason=form.cleaned_data["reason"],
                    expected_status=expected,
                )
                messages.success(
                    request,
                    "The agreement fell through. The family and the provider have been told, "
                    "and the request is back with you to look again.",
                )
            else:
                messages.error(request, "Choose an action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return self.back()


class MatchingView(RequestMixin, BrokerView):
    template_name = "brokerage/admin/matching.html"

    def get_page_title(self):
        return f"Matching for request {self.found.reference}"

    def get_breadcrumbs_items(self):
        here = {
            "url": reverse("brokerage_admin:request", args=[self.found.pk]),
            "label": self.found.reference,
        }
        return [*super().get_breadcrumbs_items()[:-1], here, {"url": "", "label": "Matching"}]

    def get_context_data(self, **kwargs):
        result = matching.match(self.found, broker=self.request.user)
        asked = set(
            self.found.offers.exclude(
                status__in=[OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN]
            ).values_list("listing_id", flat=True)
        )
        return super().get_context_data(
            found=self.found,
            result=result,
            asked=asked,
            mine=self.found.broker_id == self.request.user.pk,
            can_send=self.found.status in (Status.ASSIGNED, Status.OFFERS_SENT, Status.CHOOSING),
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        user, found = request.user, self.found
        try:
            if action == "send":
                ids = parse_ids(request.POST.getlist("listing"))
                listings = ListingPage.objects.in_directory().filter(pk__in=ids)
                note = request.POST.get("note", "")
                try:
                    offers = services.offers_send(
                        user=user,
                        request=found,
                        listings=listings,
                        note=note,
                        expected_status=request.POST.get("expected_status") or None,
                    )
                except ValidationError as error:
                    # Shown again with the note and the chosen providers as they were typed.
                    messages.error(request, " ".join(error.messages))
                    return self.render_to_response(
                        self.get_context_data(note=note, chosen={str(i) for i in ids})
                    )
                messages.success(request, f"Asked {len(offers)} provider(s).")
                return self.back()
            listing_id = request.POST.get("listing_id", "")
            listing = get_object_or_404(ListingPage, pk=parse_id(listing_id) or 0)
            if action == "add":
                services.candidate_add(user=user, request=found, listing=listing)
                messages.success(request, f"{listing.title} added as a candidate.")
            elif action == "remove":
                services.candidate_remove(user=user, request=found, listing=listing)
                messages.success(request, f"{listing.title} removed from the candidates.")
            else:
                messages.error(request, "Choose an action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("brokerage_admin:matching", found.pk)


class AgreementView(RequestMixin, BrokerView):
    template_name = "core/admin/form.html"

    def get_page_title(self):
        return f"Agreement for request {self.found.reference}"

    def initial(self):
        offer = self.found.offers.filter(status=OfferStatus.CHOSEN).first()
        existing = getattr(self.found, "agreement", None)
        if existing:
            fields = ("hours_per_week", "rate", "funding", "start_date", "review_date")
            fields += ("time_from", "time_to", "term_time", "school_holidays")
            return {f: getattr(existing, f) for f in fields} | {"days": list(existing.days.all())}
        if offer is None:
            return {}
        found = self.found
        return {  # what the family asked for, and what the provider offered
            "hours_per_week": offer.proposed_hours,
            "rate": offer.rate,
            "funding": found.funding,
            "start_date": offer.start_date,
            "days": list(found.days.all()),
            "time_from": found.time_from,
            "time_to": found.time_to,
            "term_time": found.term_time,
            "school_holidays": found.school_holidays,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AgreementForm(initial=self.initial()))
        return super().get_context_data(
            submit_label="Send to the family and provider to confirm",
            intro="Both the family and the provider confirm. The review date defaults to six "
            "months after the start.",
            **kwargs,
        )

    def post(self, request):
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                services.agreement_draft(user=request.user, request=self.found, **form.cleaned_data)
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, "Agreement sent to the family and provider to confirm.")
                return self.back()
        return self.render_to_response(self.get_context_data(form=form))


class ReviewView(RequestMixin, BrokerView):
    template_name = "core/admin/form.html"

    def get_page_title(self):
        return f"Review of request {self.found.reference}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ReviewForm())
        return super().get_context_data(
            submit_label="Record the review",
            intro="Write down how it is going in the family's words and the young person's "
            "own words, not a summary of them.",
            **kwargs,
        )

    def post(self, request):
        form = ReviewForm(request.POST)
        agreement = getattr(self.found, "agreement", None)
        if agreement is None:
            messages.error(request, "There is no agreement to review.")
            return self.back()
        if form.is_valid():
            try:
                services.review_record(user=request.user, agreement=agreement, **form.cleaned_data)
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, "Review recorded.")
                return self.back()
        return self.render_to_response(self.get_context_data(form=form))


class ProfileView(BrokerView):
    template_name = "brokerage/admin/profile.html"
    page_title = "Your broker profile"

    def get_context_data(self, **kwargs):
        profile, _ = BrokerProfile.objects.get_or_create(user=self.request.user)
        kwargs.setdefault("affiliation_form", AffiliationForm())
        granter = profile.areas_granted_by
        ask = [granter] if granter and is_council_staff(granter) else []
        ask += list(council_staff().exclude(pk=self.request.user.pk).order_by("pk")[:3])
        return super().get_context_data(
            profile=profile,
            areas=profile.areas.order_by("name"),
            ask=list(dict.fromkeys(ask))[:3],
            affiliations=Affiliation.objects.filter(broker=self.request.user).select_related(
                "organisation"
            ),
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        user = request.user
        if action == "code":
            if request.POST.get("accept") != "yes":
                messages.error(request, "Tick the box to accept the code of conduct.")
            else:
                services.code_of_conduct_accept(user=user)
                messages.success(request, "Thank you: you have accepted the code of conduct.")
        elif action == "areas":
            messages.error(
                request,
                "Council staff grant brokers their council areas, so you cannot change yours "
                "here. Nothing was changed.",
            )
        elif action == "affiliation":
            form = AffiliationForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(affiliation_form=form))
            services.affiliation_declare(user=user, **form.cleaned_data)
            messages.success(request, "Affiliation declared.")
        return redirect("brokerage_admin:profile")
