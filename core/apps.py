from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    """The ground floor: what every part of the product shares. Imports no feature app."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .parsing import IdConverter

        # Every URL id is `<id:...>`: one that fits a database key, or no match (404).
        register_converter(IdConverter, "id")
