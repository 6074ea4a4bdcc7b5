"""The provider's side of brokerage inside the Wagtail admin: the offers sent to their
organisation, answering them, and confirming the agreement."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from wagtail.admin import messages

from core.admin_base import StaffAdminView
from directory.permissions import organisations_of

from . import permissions, services
from .admin_forms import AcceptOfferForm, DeclineOfferForm
from .choices import OfferStatus, Status
from .models import Offer

OFFERS = {"url": reverse_lazy("brokerage_admin:offers"), "label": "Requests for help"}


# --- Providers: the offers sent to their organisation ------------------------------------


class ProviderView(StaffAdminView):
    header_icon = "mail"
    crumbs = [OFFERS]

    def allowed(self, user):
        return permissions.is_provider(user)


class OffersView(ProviderView):
    template_name = "brokerage/admin/offers.html"
    page_title = "Requests for help from brokers"
    crumbs: list = []

    def get_context_data(self, **kwargs):
        offers = Offer.objects.filter(
            organisation__in=organisations_of(self.request.user)
        ).select_related("listing", "request")
        return super().get_context_data(
            waiting=offers.filter(status=OfferStatus.SENT),
            answered=offers.exclude(status=OfferStatus.SENT).order_by("-sent_at")[:50],
            **kwargs,
        )


class OfferView(ProviderView):
    template_name = "brokerage/admin/offer.html"

    def dispatch(self, request, *args, pk, **kwargs):
        self.offer = get_object_or_404(
            Offer.objects.select_related("request", "listing", "organisation"), pk=pk
        )
        if not permissions.can_answer_offer(request.user, self.offer):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user):
        return True  # checked against the offer in dispatch

    def get_page_title(self):
        return f"Request for help: {self.offer.listing.title}"

    def get_context_data(self, **kwargs):
        offer = self.offer
        found = offer.request
        agreement = (
            getattr(offer, "agreement", None) if offer.status == OfferStatus.CHOSEN else None
        )
        if found is None:
            # The family's request is gone (they closed their account, or its retention
            # period passed): the provider keeps the agreed package and the summary only.
            return super().get_context_data(
                offer=offer, summary=offer.summary, agreement=agreement, request_gone=True, **kwargs
            )
        kwargs.setdefault("accept_form", AcceptOfferForm())
        kwargs.setdefault("decline_form", DeclineOfferForm())
        return super().get_context_data(
            offer=offer,
            summary=offer.summary,
            can_answer=offer.status == OfferStatus.SENT and offer.expires_at > timezone.now(),
            contact=(
                {
                    "name": found.contact_name,
                    "email": found.family.email,
                    "phone": found.contact_phone,
                }
                if offer.status == OfferStatus.CHOSEN
                and found.shares.filter(organisation=offer.organisation).exists()
                else None
            ),
            care=(
                services.care_notes(found)
                if permissions.can_see_care_notes(self.request.user, offer)
                else None
            ),
            agreement=agreement,
            can_confirm=bool(
                agreement
                and agreement.provider_confirmed_at is None
                and found.status == Status.AGREEING
            ),
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        offer = self.offer
        if offer.request_id is None:
            messages.error(request, "The family's request has closed: nothing here can change.")
            return redirect("brokerage_admin:offer", offer.pk)
        try:
            if action == "accept":
                form = AcceptOfferForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(accept_form=form))
                services.offer_accept(user=request.user, offer=offer, **form.cleaned_data)
                messages.success(
                    request, "Thank you. The broker and the family will see your offer."
                )
            elif action == "decline":
                form = DeclineOfferForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(decline_form=form))
                services.offer_decline(
                    user=request.user,
                    offer=offer,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "Thank you for letting the broker know.")
            elif action == "confirm":
                services.agreement_confirm(user=request.user, agreement=offer.agreement)
                messages.success(request, "Agreement confirmed.")
            else:
                messages.error(request, "Choose an action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("brokerage_admin:offer", offer.pk)
