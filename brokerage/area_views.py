"""Council staff grant brokers their council areas, inside the Wagtail admin. A broker's areas
decide whose waiting requests (the child's name, the family's phone, care notes) they may read,
so brokers never choose their own: council staff do, here, and every change is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from wagtail.admin import messages

from core.admin_base import StaffAdminView, form_errors_to_form
from core.audit import trail_of
from core.roles import BROKERS, is_council_staff, members

from . import services
from .admin_forms import BrokerAreasForm
from .models import BrokerProfile

OWN_AREAS = (
    "You cannot grant council areas to yourself. Ask another member of council staff. "
    "Nothing was changed."
)
BROKERS_CRUMB = {"url": reverse_lazy("brokerage_admin:brokers"), "label": "Brokers' areas"}


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


class CouncilView(StaffAdminView):
    header_icon = "group"

    def allowed(self, user):
        return is_council_staff(user)


class BrokersView(CouncilView):
    template_name = "brokerage/admin/brokers.html"
    page_title = "Brokers' areas"

    def get_context_data(self, **kwargs):
        brokers = members(BROKERS).order_by("first_name", "last_name", "username")
        profiles = {
            profile.user_id: profile
            for profile in BrokerProfile.objects.filter(user__in=brokers)
            .select_related("areas_granted_by")
            .prefetch_related("areas")
        }
        rows = [
            {
                "user": broker,
                "name": display_name(broker),
                "profile": profiles.get(broker.pk),
                "areas": sorted(a.name for a in profiles[broker.pk].areas.all())
                if broker.pk in profiles
                else [],
            }
            for broker in brokers
        ]
        return super().get_context_data(rows=rows, **kwargs)


class BrokerAreasView(CouncilView):
    template_name = "brokerage/admin/broker_areas.html"
    crumbs = [BROKERS_CRUMB]

    def dispatch(self, request, *args, user_id, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        self.broker = get_object_or_404(members(BROKERS), pk=user_id)
        self.own = self.broker.pk == request.user.pk
        self.profile, _ = BrokerProfile.objects.get_or_create(user=self.broker)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Council areas for {display_name(self.broker)}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form", BrokerAreasForm(initial={"areas": list(self.profile.areas.all())})
        )
        return super().get_context_data(
            broker=self.broker,
            profile=self.profile,
            own=self.own,
            history=trail_of(self.profile)
            .filter(action__startswith="broker_areas")
            .select_related("actor"),
            **kwargs,
        )

    def post(self, request):
        if self.own:
            messages.error(request, OWN_AREAS)
            return redirect(request.path)
        form = BrokerAreasForm(request.POST)
        if form.is_valid():
            try:
                services.broker_areas_grant(
                    user=request.user, broker=self.broker, areas=form.cleaned_data["areas"]
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(
                    request, f"Council areas for {display_name(self.broker)} are saved."
                )
                return redirect("brokerage_admin:brokers")
        return self.render_to_response(self.get_context_data(form=form))
