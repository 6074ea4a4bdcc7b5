"""Who hears about imports. Importing thousands of listings as drafts sends the council's
moderators one message saying how many wait for review, not one a listing."""

from django.db import models
from django.urls import reverse

from core import messenger
from core.roles import council_staff


class Message(models.TextChoices):
    IMPORT_WAITING = "import_waiting", "Imported listings wait for review"


def import_waiting(run, *, count: int) -> None:
    messenger.send(
        Message.IMPORT_WAITING,
        users=council_staff(),
        context={"run": run, "count": count},
        url=reverse("wagtailadmin_home"),
        actor=run.applied_by,
        related=run,
    )
