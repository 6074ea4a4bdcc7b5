from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from directory.selectors import directory_index, kind_counts


class HomePage(Page):
    """The front door: tells a family in plain English what the service is and how to start."""

    intro = models.CharField(
        max_length=300,
        default="Find short breaks, personal assistants and inclusive clubs for disabled "
        "children and young people, near you or who can come to you.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["directory.DirectoryIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directory"] = directory_index()
        context["kind_counts"] = kind_counts()
        return context
