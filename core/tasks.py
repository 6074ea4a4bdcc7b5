"""Background work. Production runs these in the django-tasks database worker (`make worker`);
development and tests run them at once."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def deliver_email(*, kind: str, subject: str, body: str, addresses: list[str]) -> int:
    """Send one message to each address separately, so recipients never see each other."""
    for address in addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    logger.info("Sent %s to %d recipient(s)", kind, len(addresses))
    return len(addresses)
