from django.utils.functional import SimpleLazyObject

from .models import ShortBreaksStatementPage


def statement(request):
    """The Short Breaks Services Statement's address for the footer, once it is published."""

    def url():
        page = ShortBreaksStatementPage.objects.live().public().first()
        return page.get_url(request) if page else ""

    return {"SHORT_BREAKS_STATEMENT_URL": SimpleLazyObject(url)}
