from django.apps import AppConfig


class KitemarkConfig(AppConfig):
    name = "kitemark"
    verbose_name = "Kitemark"
