"""docs/privacy.md is the data map: every table that holds personal data is a row of it, with
its retention, export and erasure. These tests walk every model Django knows (the project's
and the frameworks'), decide from its fields whether it looks like it holds personal data, and
fail when one is missing from the map, or the map names a model that no longer exists."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

PRIVACY_DOC = Path(settings.BASE_DIR) / "docs" / "privacy.md"

# Field names that say "about a person": a token of the name, between underscores.
PERSONAL_NAMES = re.compile(
    r"(^|_)(name|phone|address|postcode|date_of_birth|dob|birth|notes?|answers|details|"
    r"comments?|words|email|ip|gender|avatar)(_|$)"
)
FREE_TEXT = (models.TextField, models.JSONField, models.BinaryField)

# Models the rules flag that hold nobody's personal data, and why. Keep it short and honest.
NOT_PERSONAL = {
    "gazetteer.LocalAuthority": "public ONS list of councils",
    "gazetteer.Postcode": "public ONS postcode directory, not anyone's address",
    "gazetteer.TerminatedPostcode": "public ONS list of retired postcodes",
    "gazetteer.RuralUrbanClass": "public ONS classification of areas",
    "gazetteer.PlaceName": "public names of towns, wards, councils and postcode districts",
    "sufficiency.ReachWard": "public ward names and centres, as counted for the dashboard",
    "directory.ServiceType": "reference data: kinds of service",
    "directory.Need": "reference data: needs a listing supports",
    "directory.Skill": "reference data: skills and training",
    "directory.AccessFeature": "reference data: access features",
    "directory.Language": "reference data: languages",
    "directory.FundingRoute": "reference data: ways of paying",
    "directory.Weekday": "reference data: days of the week",
    "wagtailcore.Site": "the site's own name and host",
    "wagtailcore.Collection": "folders for images and documents",
    "wagtailcore.Workflow": "the moderation workflow's name",
    "wagtailcore.Task": "a moderation step's name",
    "wagtailembeds.Embed": "public oEmbed metadata of embedded media",
    "taggit.Tag": "tag words",
    "auth.Permission": "Django's permission names",
    "auth.Group": "role names",
}


def documented_models() -> set[str]:
    """Every `app.Model` named in the first column of the map's table."""
    named = set()
    for line in PRIVACY_DOC.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        named.update(re.findall(r"`([a-z_]+\.[A-Za-z]+)`", first_cell))
    return named


def own_fields(model):
    return [*model._meta.local_fields, *model._meta.local_many_to_many]


def links_to_user(model) -> bool:
    user = apps.get_model(settings.AUTH_USER_MODEL)
    return any(f.is_relation and f.related_model is user for f in own_fields(model))


def a_persons_own_record(model) -> bool:
    """Deleted with a person's account (a family's request, an auditor's profile), rather than
    only naming who made it (a page's owner, an image's uploader)."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    return any(
        f.is_relation
        and f.related_model is user
        and getattr(f.remote_field, "on_delete", None) is models.CASCADE
        for f in own_fields(model)
    )


def personal_data_reasons(model) -> list[str]:
    """Why a model looks like it holds personal data (empty: it does not)."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    reasons = ["is the user model"] if model is user else []
    for field in own_fields(model):
        if field.is_relation and field.related_model is user:
            reasons.append(f"{field.name} links to an account")
        elif (
            field.is_relation and field.related_model and a_persons_own_record(field.related_model)
        ):
            # A record hanging off a person's own record (a request, an auditor): about them.
            reasons.append(f"{field.name} links to {field.related_model._meta.label}")
        elif isinstance(field, models.EmailField):
            reasons.append(f"{field.name} is an email address")
        elif isinstance(field, models.FileField):
            reasons.append(f"{field.name} is a file")
        elif PERSONAL_NAMES.search(field.name):
            reasons.append(f"{field.name} is named like personal data")
        elif isinstance(field, models.JSONField) and links_to_user(model):
            reasons.append(f"{field.name} is JSON on a person's record")
    return reasons


def every_model():
    return [m for m in apps.get_models() if not m._meta.proxy and not m._meta.abstract]


def test_every_model_holding_personal_data_is_in_the_privacy_map():
    documented = documented_models()
    missing = {
        model._meta.label: reasons
        for model in every_model()
        if (reasons := personal_data_reasons(model))
        and model._meta.label not in documented
        and model._meta.label not in NOT_PERSONAL
    }
    assert not missing, (
        "These models look like they hold personal data but are not in docs/privacy.md "
        f"(add a row: what, who sees it, retention, export, erasure): {missing}"
    )


def test_the_privacy_map_names_only_models_that_exist():
    labels = {model._meta.label for model in every_model()}
    assert documented_models() - labels == set()


def test_every_exemption_is_a_model_the_rules_would_otherwise_flag():
    """An exemption that no longer matches anything is removed, so the list stays honest."""
    flagged = {m._meta.label for m in every_model() if personal_data_reasons(m)}
    assert set(NOT_PERSONAL) - flagged == set()
    assert not set(NOT_PERSONAL) & documented_models()


def test_the_map_catches_a_new_table_of_personal_data():
    """The rules themselves: a model like a family's request, or a young person's photo, or a
    note about an auditor, is flagged; reference data is not."""
    from brokerage.models import Offer, RequestOutcome, SupportRequest
    from directory.models import Need
    from kitemark.models import Answer, Assignment

    for model in (SupportRequest, Offer, Answer, Assignment, RequestOutcome):
        assert personal_data_reasons(model), model
    assert personal_data_reasons(Need) == ["name is named like personal data"]


def test_the_family_and_auditor_tables_are_in_the_map_with_their_retention():
    text = PRIVACY_DOC.read_text()
    for label in (
        "brokerage.FamilyProfile",
        "kitemark.AuditorProfile",
        "kitemark.Answer",
        "directory.ProviderApplication",
        "directory.ListingReport",
        "search.SavedListing",
        "core.Consent",
    ):
        assert label in documented_models()
    for setting in ("profile_months", "kept_agreement_years", "review_months", "report_reply_days"):
        assert setting in text
