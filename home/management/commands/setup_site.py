from django.core.management.base import BaseCommand

from home.site_setup import ensure_site


class Command(BaseCommand):
    help = "Create the home page, the directory and the council moderation workflow (idempotent)."

    def handle(self, *args, **options):
        directory = ensure_site()
        self.stdout.write(self.style.SUCCESS(f"Site ready: the directory is at {directory.url}"))
