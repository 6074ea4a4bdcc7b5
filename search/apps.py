from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Places and search"

    def ready(self):
        from . import shortlist, signals  # noqa: F401  (shortlist connects its sign-in receiver)

        signals.connect()
