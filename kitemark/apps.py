from django.apps import AppConfig

from core.account_panels import register_account_panel


class KitemarkConfig(AppConfig):
    name = "kitemark"
    verbose_name = "Kitemark"

    def ready(self):
        from .views import account_panel  # views load once Django is ready

        register_account_panel(account_panel)
