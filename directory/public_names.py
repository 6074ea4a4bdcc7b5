"""Self-employed personal assistants are people: the public sees "Amy N.", never "Amy
Nixon", in the page title, the caption of their listings and their web address.

New personal assistants get that name when they are admitted (`services.organisation_create`).
`public_pa_names` gives it to those admitted before: their provider page is renamed and
moved to the new address, and Wagtail's redirects send the old address (and their listings'
old addresses) to the new one, so links families kept still work."""

from django.db import transaction
from django.utils.text import slugify

from core.audit import audit

from .choices import OrganisationKind
from .models import Organisation, ProviderPage


def free_slug(page: ProviderPage, name: str) -> str:
    base = slugify(name)[:180] or "personal-assistant"
    siblings = page.get_siblings(inclusive=False)
    slug, n = base, 2
    while siblings.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def public_pa_names() -> int:
    """Rename every self-employed PA's public page to their public name; returns how many
    changed. Safe to run again."""
    changed = 0
    organisations = Organisation.objects.filter(kind=OrganisationKind.SELF_EMPLOYED_PA)
    for organisation in organisations:
        page = ProviderPage.objects.filter(organisation=organisation).first()
        if page is None:
            continue
        name = organisation.public_name
        slug = slugify(name)
        if page.title == name and (page.slug == slug or page.slug.startswith(f"{slug}-")):
            continue
        with transaction.atomic():
            old_url = page.url
            page.title = name
            page.slug = free_slug(page, name)
            page.save_revision().publish()  # Wagtail adds redirects from the old address
            audit(
                actor=None,
                action="pa_public_name",
                obj=organisation,
                summary=f"Public page moved from {old_url} to {page.url}",
            )
        changed += 1
    return changed
