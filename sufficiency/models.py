"""The dashboard's figures counted ahead by the daily job (`manage.py refresh_sufficiency`,
`refresh.py`): small tables the dashboard sums instead of reading a million unmet searches and
every listing on each request. Each refresh replaces every row in one transaction and records
when it ran (`Refresh`), which the dashboard shows as "Figures as at".

A filter the dashboard offers is a column of each table, so that a filtered figure is read, not
worked out: `ALL` in the council, kind, need or age column is the row for every value of it
(a search or listing counts once there), any other value the rows that have it (a search that
asked for two needs counts under each). Rows are never added across those columns."""

from django.db import models

ALL = "*"


class Refresh(models.Model):
    """One run of the daily job: the figures in the tables below are as at `counted_at`."""

    counted_at = models.DateTimeField(db_index=True)
    seconds = models.FloatField(help_text="How long counting took")
    requested_by = models.CharField(max_length=150, blank=True)
    served = models.TextField(
        null=True,
        help_text=(
            "The councils served at the count (where a published listing is based), their codes "
            "comma-separated; null for a count made before they were kept"
        ),
    )

    class Meta:
        ordering = ["-counted_at"]
        get_latest_by = "counted_at"

    def __str__(self):
        return f"Sufficiency figures as at {self.counted_at:%Y-%m-%d %H:%M}"

    @property
    def served_councils(self) -> set[str] | None:
        if self.served is None:
            return None
        return set(self.served.split(",")) - {""}


class UnmetCount(models.Model):
    """Unmet searches (`search.UnmetDemand`) counted by calendar month. `part` says what
    `item` is: "all" (blank), "need" (a need's slug, blank for none given) or "day" (a day's
    code, blank for none given)."""

    month = models.DateField()
    council = models.CharField(max_length=9)  # ALL or a council's code ("" when not known)
    kind = models.CharField(max_length=40)  # ALL or a kind the search asked for
    need = models.CharField(max_length=60)  # ALL or a need the search asked for
    age_band = models.CharField(max_length=8)
    rural = models.BooleanField()
    part = models.CharField(max_length=8)
    item = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()
    searches = models.PositiveIntegerField()
    brokerage = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.part} {self.item or '-'}: {self.n}"

    class Meta:
        indexes = [
            # Every read is one part, kind and need, a council (or every council but ALL) and
            # a range of months; the figures are in the index too (SQLite has no INCLUDE), so
            # a read never goes to the table.
            models.Index(
                fields=[
                    "part",
                    "kind",
                    "need",
                    "council",
                    "month",
                    "age_band",
                    "rural",
                    "item",
                    "n",
                    "searches",
                    "brokerage",
                ],
                name="sufficiency_unmet_slice",
            )
        ]


class SupplyCount(models.Model):
    """Listings in the directory at the refresh. `part`: "all" (item blank), "service_type"
    or "need" (a term's name, blank for a listing with none), "age" (a band's label), "slot"
    (a time slot's key), or "new" (listings live at the refresh, item the month of
    `first_published_at`, for trends)."""

    council = models.CharField(max_length=9)  # ALL or where the listing is based
    kind = models.CharField(max_length=40)
    need = models.CharField(max_length=60)  # ALL or a need's slug the listing supports
    age_band = models.CharField(max_length=8)  # ALL or a band the listing's ages overlap
    rural = models.BooleanField(null=True)  # the ONS class of its postcode; None: neither
    part = models.CharField(max_length=12)
    item = models.CharField(max_length=255, blank=True)
    month = models.DateField(null=True)  # "new" only
    n = models.PositiveIntegerField()
    places = models.PositiveIntegerField()
    hours = models.PositiveIntegerField()
    verified = models.PositiveIntegerField()
    kitemarked = models.PositiveIntegerField()
    current = models.PositiveIntegerField()
    space = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.part} {self.item or '-'}: {self.n}"

    class Meta:
        indexes = [
            models.Index(
                fields=["part", "council", "need", "age_band"], name="sufficiency_supply_slice"
            )
        ]


class BrokerageCount(models.Model):
    """Brokerage requests, offers, outcomes and reviews counted by calendar month (the month
    the request was sent, the outcome closed or the review held). `part` says what `item`
    is: "status", "decline" (a declined offer's reason), "offer_hours" and "agree_hours" (whole
    hours from sending to the first offer, or to the agreement: a histogram, so a median can
    be read from it), "outcome", "close_days" ("<outcome>:<days>"), "reason" (an unmatched
    reason), "feeling" (a review's)."""

    month = models.DateField()
    council = models.CharField(max_length=9)  # ALL or the request's council
    need = models.CharField(max_length=60)  # ALL or a need the request gave
    age_band = models.CharField(max_length=8)  # the child's age band ("" outside the bands)
    rural = models.BooleanField(null=True)  # None for outcomes and reviews (not recorded)
    part = models.CharField(max_length=12)
    item = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.part} {self.item or '-'}: {self.n}"

    class Meta:
        indexes = [
            models.Index(fields=["part", "council", "need", "month"], name="sufficiency_brok_slice")
        ]


class ReachWard(models.Model):
    """A ward of the councils the site served at the count, placed and classed as reach
    measures it (`reach.py`): the rows of the reach table before its counts."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=120)
    council = models.CharField(max_length=9, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    ons = models.CharField(max_length=5, null=True)  # "Rural", "Urban" or None: not classed
    rural = models.BooleanField()  # what search would use for a family here
    radius = models.FloatField()  # the venue distance used (miles)

    def __str__(self):
        return self.name


class ReachCount(models.Model):
    """Services within reach of one ward, for one kind, need and age band (each `ALL` or a
    value; a listing counts under each need it supports and each band its ages overlap).
    A ward with no row for a filter has none within reach."""

    ward_code = models.CharField(max_length=9)
    council = models.CharField(max_length=9)
    kind = models.CharField(max_length=40)
    need = models.CharField(max_length=60)
    age_band = models.CharField(max_length=8)
    venues = models.PositiveIntegerField()
    coming = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.ward_code} {self.kind}/{self.need}/{self.age_band}: {self.venues}"

    class Meta:
        indexes = [
            # A view reads one kind, need and band, for every council or one; the counts are
            # in the index, so the read never goes to the table.
            models.Index(
                fields=["kind", "need", "age_band", "council", "ward_code", "venues", "coming"],
                name="sufficiency_reach_slice",
            )
        ]


class VoicesCount(models.Model):
    """Comments counted by theme (`voices.py`) at the refresh. `source` is "quotes" or
    "summaries" (young auditors' published quotes and panel summaries of the kitemark awards
    current at the refresh, under their listing's council, kind, need, age band and rural class,
    each `ALL` or a value, as reach counts them) or "family" or "young" (what was said at
    reviews, by the month held and the request's council; kind, need and age band `ALL`).
    `theme` is a theme, "No theme found", or blank: the number of comments."""

    source = models.CharField(max_length=9)
    council = models.CharField(max_length=9)
    kind = models.CharField(max_length=40)
    need = models.CharField(max_length=60)
    age_band = models.CharField(max_length=8)
    rural = models.BooleanField(null=True)  # kitemark only; None: neither, or a review
    month = models.DateField(null=True)  # reviews only
    theme = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.source} {self.theme or 'comments'}: {self.n}"

    class Meta:
        indexes = [
            models.Index(
                fields=["source", "council", "kind", "need", "age_band", "month"],
                name="sufficiency_voices_slice",
            )
        ]
