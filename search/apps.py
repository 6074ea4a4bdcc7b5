from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Places and search"

    def ready(self):
        from . import signals

        signals.connect()
