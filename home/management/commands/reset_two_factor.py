"""Reset someone's two-factor sign-in (a lost phone and lost backup codes) from the shell, when
no administrator can sign in to do it in the admin. Recorded in the audit trail."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from home.two_factor.services import second_factor_remove


class Command(BaseCommand):
    help = "Remove a person's authenticator app and backup codes; they set up new ones next time."

    def add_arguments(self, parser):
        parser.add_argument("username", help="whose two-factor sign-in to reset")
        parser.add_argument(
            "--by", required=True, help="the administrator (superuser) doing it, for the audit"
        )

    def handle(self, *args, username, by, **options):
        User = get_user_model()
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"There is no account with the username {username!r}")
        admin = User.objects.filter(username=by, is_superuser=True, is_active=True).first()
        if admin is None:
            raise CommandError(f"{by!r} is not an active administrator (superuser)")
        second_factor_remove(actor=admin, user=person)
        self.stdout.write(
            f"Two-factor sign-in reset for {username}: they set up a new app when they next "
            "sign in."
        )
