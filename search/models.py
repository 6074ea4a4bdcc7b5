from django.db import models


class LocalAuthority(models.Model):
    """A local authority district (ONS LAD code), e.g. E06000057 Northumberland."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
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

    def __str__(self):
        return self.postcode
