"""The listing editor's form: the areas a listing covers are chosen as the councils that
commission short breaks (upper-tier and unitary), grouped by region with the provider's own
council first, and stored as the districts they cover, which search and brokerage match a
family's district against (`gazetteer.councils`)."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from gazetteer.councils import by_region, council_of, districts_of
from gazetteer.lookup import PostcodeError, lookup
from gazetteer.models import LocalAuthority

SERVED = "served_local_authorities"


class CouncilsWidget(forms.CheckboxSelectMultiple):
    """A fieldset of councils for each region, folded away (it works without JavaScript)
    unless it is the provider's region or a council in it is chosen."""

    template_name = "directory/admin/widgets/councils.html"

    def __init__(self, *args, own_region: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.own_region = own_region

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["regions"] = [
            {
                "name": region,
                "options": options,
                "chosen": sum(1 for option in options if option["selected"]),
                "open": region == self.own_region or any(o["selected"] for o in options),
            }
            for region, options, _index in context["widget"]["optgroups"]
        ]
        return context


class ListingForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if SERVED not in self.fields:
            return
        own = self.own_council()
        # Only councils with a district in the gazetteer: those are what is stored.
        codes = LocalAuthority.objects.values_list("code", flat=True)
        known = {council.code for council in map(council_of, codes) if council}
        groups = [
            (region, [council for council in group if council.code in known])
            for region, group in by_region(first=own.code if own else "")
        ]
        groups = [(region, group) for region, group in groups if group]
        self.fields[SERVED] = forms.MultipleChoiceField(
            label="Councils you cover",
            help_text="The councils whose families you serve, whatever the distance. "
            "Choose a county council to cover every district in it.",
            required=False,
            choices=[(region, [(c.code, c.name) for c in group]) for region, group in groups],
            widget=CouncilsWidget(own_region=own.region if own else ""),
            error_messages={"invalid_choice": "Choose councils from the list"},
        )
        if not self.is_bound:
            self.initial[SERVED] = self.served_councils()

    def own_council(self):
        """The provider's council: where the organisation is, else where the listing is."""
        listing = self.instance
        organisation = listing.organisation
        if organisation is None and self.parent_page is not None:
            organisation = getattr(self.parent_page.specific, "organisation", None)
        district = ""
        if organisation is not None and organisation.postcode:
            try:
                district = lookup(organisation.postcode).local_authority_code
            except PostcodeError:
                district = ""
        return council_of(district or listing.local_authority_code or "")

    def served_councils(self) -> list[str]:
        served = self.instance.served_local_authorities.all()
        councils = {council_of(authority.code) for authority in served}
        return sorted(council.code for council in councils if council)

    def clean_served_local_authorities(self):
        codes = self.cleaned_data.get(SERVED) or []
        return LocalAuthority.objects.filter(code__in=districts_of(codes))
