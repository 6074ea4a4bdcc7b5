from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Provider directory"

    def ready(self):
        from . import checks, compare, signals  # noqa: F401

        compare.register()
