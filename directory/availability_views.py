"""A provider closes, pauses or reopens a service, and updates its space now, from their
dashboard, without moderation (`directory.availability`). Thin: each view checks the listing
is the person's own, then calls the service, which checks again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin import messages

from core.admin_base import StaffAdminView, form_errors_to_form

from . import availability, permissions
from .family_view import family_view
from .forms import AvailabilityForm, SpaceNowForm
from .models import ListingPage, ListingStatus


class ListingAvailabilityView(StaffAdminView):
    """One listing's "Close, pause or reopen" and "Space now" forms."""

    template_name = "directory/admin/listing_availability.html"
    header_icon = "calendar"
    http_method_names = ["get", "post"]

    def allowed(self, user):
        return True  # checked against the listing in dispatch

    def dispatch(self, request, *args, listing_id, **kwargs):
        self.listing = get_object_or_404(ListingPage, pk=listing_id)
        if not permissions.can_confirm_listing(request.user, self.listing):
            raise PermissionDenied
        self.status = ListingStatus.objects.filter(listing_id=self.listing.pk).first()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Bookings and space: {self.listing.title}"

    def current_choice(self) -> str:
        if self.status and self.status.closed_on:
            return AvailabilityForm.CLOSED
        if self.status and self.status.paused():
            return AvailabilityForm.PAUSED
        return AvailabilityForm.OPEN

    def get_context_data(self, **kwargs):
        initial = {"availability": self.current_choice()}
        if self.status and self.status.paused():
            initial["until"] = self.status.paused_until
        kwargs.setdefault("availability_form", AvailabilityForm(initial=initial))
        kwargs.setdefault(
            "space_form", SpaceNowForm(initial={"capacity_now": self.listing.capacity_now})
        )
        return super().get_context_data(
            listing=self.listing,
            families=family_view(self.listing, self.status),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "capacity_now" in request.POST:
            return self.update_space()
        return self.change_availability()

    def update_space(self):
        form = SpaceNowForm(self.request.POST)
        if form.is_valid():
            try:
                page = availability.listing_space_update(
                    user=self.request.user,
                    listing=self.listing,
                    capacity_now=form.cleaned_data["capacity_now"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(
                    self.request, f"Space now for {page.title}: {page.space_now_display}."
                )
                return redirect(reverse("wagtailadmin_home"))
        return self.render_to_response(self.get_context_data(space_form=form))

    def change_availability(self):
        form = AvailabilityForm(self.request.POST)
        if form.is_valid():
            choice, user = form.cleaned_data["availability"], self.request.user
            try:
                if choice == AvailabilityForm.CLOSED:
                    availability.listing_close(user=user, listing=self.listing)
                    said = "is closed: families can no longer find it"
                elif choice == AvailabilityForm.PAUSED:
                    until = form.cleaned_data["until"]
                    availability.listing_pause(user=user, listing=self.listing, until=until)
                    said = f"is paused: families see it takes no bookings until {until:%-d %B %Y}"
                else:
                    availability.listing_reopen(user=user, listing=self.listing)
                    said = "is open again: families can find and book it"
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(self.request, f"{self.listing.title} {said}.")
                return redirect(reverse("wagtailadmin_home"))
        return self.render_to_response(self.get_context_data(availability_form=form))
