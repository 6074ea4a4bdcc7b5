"""Give personal assistants admitted before public names were used their public name
("Amy N.") in their page title and web address; old addresses redirect. Safe to run twice."""

from django.core.management.base import BaseCommand

from directory.public_names import public_pa_names


class Command(BaseCommand):
    help = (
        "Rename personal assistants' public pages to first name and initial (old links redirect)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Personal assistants' pages renamed: {public_pa_names()}")
