"""Taxonomies: editable by council staff, seeded with defaults by migration."""

import uuid

from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import (
    FieldPanel,
)

from ..choices import (
    ListingKind,
)

# --- Taxonomies: editable by council staff, seeded with defaults by migration ----------------


class Taxonomy(models.Model):
    # The term's id in the open data (Open Referral UK): stable, never the database id.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        max_length=255, blank=True, help_text="A short plain-English explanation for families."
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class ServiceType(Taxonomy):
    kind = models.CharField(
        max_length=32,
        choices=ListingKind.choices,
        blank=True,
        help_text="The kind of listing this type belongs to; blank for any kind.",
    )
    panels = Taxonomy.panels + [FieldPanel("kind")]

    class Meta(Taxonomy.Meta):
        verbose_name = "service type"


class Need(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "need supported"
        verbose_name_plural = "needs supported"


class Skill(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "skill"


class AccessFeature(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "access or sensory feature"


class Language(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "language"


class FundingRoute(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "way of paying"
        verbose_name_plural = "ways of paying"


class Weekday(models.Model):
    """The seven days, fixed (ISO numbering: 1 is Monday)."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=9, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name
