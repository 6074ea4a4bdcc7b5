"""The directory's own pages: the index families browse, and each provider's page."""

from django.db import models
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.models import Page

from ..browse import browse_context
from .listings import ListingPage
from .organisations import Organisation

# --- Pages -----------------------------------------------------------------------------------


class DirectoryIndexPage(Page):
    """The public directory: browse by kind and type. Listings live below provider pages."""

    intro = models.CharField(
        max_length=300,
        default="Short breaks, personal assistants and inclusive clubs checked by the council.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["directory.ProviderPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(browse_context(request, self))
        return context


class ProviderPage(Page):
    """A provider's public page; its listings are its children. One per organisation."""

    organisation = models.OneToOneField(
        Organisation, null=True, on_delete=models.PROTECT, related_name="provider_page"
    )
    about = models.TextField(blank=True, help_text="About the organisation, in plain English.")

    content_panels = Page.content_panels + [FieldPanel("about")]
    parent_page_types = ["directory.DirectoryIndexPage"]
    subpage_types = [
        "directory.ShortBreakServicePage",
        "directory.PersonalAssistantPage",
        "directory.InclusiveClubPage",
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listings"] = ListingPage.objects.in_directory().child_of(self).with_card_data()
        return context
