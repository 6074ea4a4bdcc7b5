from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every part of the product shares. Imports no feature app."""

    name = "core"
    verbose_name = "Core"
