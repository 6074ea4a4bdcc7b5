from django.apps import AppConfig
from django.urls import reverse

from core.account_panels import register_account_panel


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)

        register_account_panel(account_panel)


def account_panel(request):
    """The family's requests on their account page."""
    from .permissions import is_family  # the app's modules load once Django is ready

    if not is_family(request.user):
        return None
    return {
        "title": "Requests for support",
        "text": "Ask a broker to find support for you or your child, and follow your requests.",
        "links": [
            ("Your requests for support", reverse("brokerage:index")),
            ("Download everything we hold about you", reverse("brokerage:my_data")),
            ("Delete your account", reverse("brokerage:delete_account")),
        ],
    }
