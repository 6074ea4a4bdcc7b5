"""`manage.py check --deploy` refuses a site whose safeguarding concerns would go nowhere: a
concern about a child's safety is emailed at once to the council's safeguarding inbox and its
LADO (docs/workflows/safeguarding-concerns.md), so both must be real addresses, not the
examples the settings fall back to on a developer's machine."""

from django.conf import settings
from django.core.checks import Error, register

PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")


@register(deploy=True)
def safeguarding_addresses_are_real(app_configs, **kwargs):
    errors = []
    for name in ("SAFEGUARDING_EMAIL", "LADO_EMAIL"):
        address = (getattr(settings, name, "") or "").strip()
        domain = address.rpartition("@")[2].lower()
        if not address or "@" not in address or domain in PLACEHOLDER_DOMAINS:
            errors.append(
                Error(
                    f"{name} is not set to the council's own address, so safeguarding "
                    "concerns would not reach anyone.",
                    hint=f"Set the {name} environment variable (docs/operations.md).",
                    id="directory.E001",
                )
            )
    return errors
