from django.apps import AppConfig


class OpenrefConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "openref"
    verbose_name = "Open data (Open Referral UK)"
