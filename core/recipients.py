"""Who hears on behalf of a provider: the people who edit its listings, or, while nobody
does yet, the organisation's own email address."""

from django.contrib.auth import get_user_model


def provider_recipients(organisation) -> tuple[list, list[str]]:
    """(users, bare email addresses) for an organisation (anything with `editors_id`,
    `editors` and `email`, so the ground floor needs no model from the directory)."""
    users = []
    if organisation is not None and organisation.editors_id is not None:
        users = list(get_user_model().objects.filter(groups=organisation.editors, is_active=True))
    email = getattr(organisation, "email", "") if organisation is not None else ""
    return users, [email] if email and not users else []
