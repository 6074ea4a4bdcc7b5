from django.apps import AppConfig

from core.account_panels import register_account_panel


class KitemarkConfig(AppConfig):
    name = "kitemark"
    verbose_name = "Kitemark"

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import Answer
        from .privacy import answer_deleted
        from .views import account_panel  # views load once Django is ready

        register_account_panel(account_panel)
        post_delete.connect(answer_deleted, sender=Answer, dispatch_uid="kitemark_answer_photo")
