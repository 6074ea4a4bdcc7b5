"""`manage.py check` (and so every deploy) refuses a council closure day that is not a date,
rather than the broker's queue failing on the first page that works out a due date."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from core.dates import extra_closed_days


@register()
def extra_closed_days_are_dates(app_configs, **kwargs):
    try:
        extra_closed_days()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Give the council's closure days as ISO dates, separated by commas.",
                id="brokerage.E001",
            )
        ]
    return []
