from django.apps import AppConfig


class KitemarkConfig(AppConfig):
    name = "kitemark"
    verbose_name = "Kitemark"

    def ready(self):
        try:
            from home.accounts import register_account_panel
        except ImportError:  # public accounts not installed: no panel on the account page
            return
        from .views import account_panel

        register_account_panel(account_panel)
