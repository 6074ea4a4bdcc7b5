from django.apps import AppConfig


class GazetteerConfig(AppConfig):
    """Postcodes, councils, place names and rural-urban classes, offline: the geography the
    directory checks listings against and search finds families' places in. Imports only
    `core` (docs/decisions/0007-gazetteer-below-the-directory.md)."""

    name = "gazetteer"
    verbose_name = "Gazetteer"
