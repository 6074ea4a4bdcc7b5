from django.db import models
from django.http import HttpResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from directory.selectors import directory_index, kind_counts

from .statement import statement_figures
from .statement_pdf import statement_pdf


class HomePage(Page):
    """The front door: tells a family in plain English what the service is and how to start."""

    intro = models.CharField(
        max_length=300,
        default="Find short breaks, personal assistants and inclusive clubs for disabled "
        "children and young people, near you or who can come to you.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["directory.DirectoryIndexPage", "home.ShortBreaksStatementPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directory"] = directory_index()
        context["kind_counts"] = kind_counts()
        return context


# Sections sit under the page's own h2 headings, so editors have h3; the introduction, under
# the h1, has no headings of its own.
INTRO_FEATURES = ["bold", "italic", "ol", "ul", "link"]
STATEMENT_FEATURES = ["h3", *INTRO_FEATURES]


class ShortBreaksStatementPage(RoutablePageMixin, Page):
    """The council's Short Breaks Services Statement (Breaks for Carers of Disabled Children
    Regulations 2011): its text, edited by council staff, and the range of short breaks,
    counted from the directory whenever it is served (`home/statement.py`). Each publication
    is kept as a Wagtail revision, dated."""

    intro = RichTextField("Introduction", features=INTRO_FEATURES)
    eligibility_criteria = RichTextField(
        "Who can have targeted and specialist short breaks",
        features=STATEMENT_FEATURES,
        help_text="The council's eligibility criteria, in plain English.",
    )
    how_to_ask = RichTextField(
        "How to ask for a short break",
        features=STATEMENT_FEATURES,
        help_text="Including assessments, direct payments and the brokerage service.",
    )
    families_views = RichTextField(
        "How families' views shaped this statement", features=STATEMENT_FEATURES
    )
    review_date = models.DateField(
        "Next review by", null=True, blank=True, help_text="When the council will review it."
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("eligibility_criteria"),
        FieldPanel("how_to_ask"),
        MultiFieldPanel(
            [
                FieldPanel("families_views"),
                InlinePanel("consultations", heading="Consultation log", label="Entry"),
            ],
            heading="Families' views",
        ),
        FieldPanel("review_date"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "home/short_breaks_statement_page.html"

    class Meta:
        verbose_name = "short breaks services statement"

    def consultation_log(self):
        return self.consultations.order_by("-date", "sort_order")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = statement_figures()
        context["pdf_url"] = (self.get_url(request) or "") + self.reverse_subpage("pdf")
        return context

    @path("")
    def statement(self, request):
        return self.render(request)

    @path("pdf/", name="pdf")
    def pdf(self, request):
        response = HttpResponse(
            statement_pdf(self, statement_figures(), base_url=request.build_absolute_uri("/")),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = 'attachment; filename="short-breaks-statement.pdf"'
        return response


class ConsultationEntry(Orderable):
    """One time the council asked families (or others) about short breaks."""

    page = ParentalKey(
        ShortBreaksStatementPage, on_delete=models.CASCADE, related_name="consultations"
    )
    date = models.DateField()
    who = models.CharField("Who we asked", max_length=200)
    what_they_said = models.TextField("What they told us")
    what_changed = models.TextField("What we changed")

    panels = [
        FieldPanel("date"),
        FieldPanel("who"),
        FieldPanel("what_they_said"),
        FieldPanel("what_changed"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "consultation"
