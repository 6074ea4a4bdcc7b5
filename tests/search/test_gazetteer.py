"""The gazetteer knows which postcodes are still in use and which LSOA each one is in."""

import pytest

from gazetteer.lookup import NotAPostcode, PostcodeError, lookup
from gazetteer.models import LocalAuthority, Postcode, TerminatedPostcode

pytestmark = pytest.mark.django_db


def test_a_terminated_postcode_is_refused_with_a_clear_message():
    terminated = TerminatedPostcode.objects.filter(outcode="NE1").order_by("postcode").first()
    assert terminated is not None, "the NE load should include terminated NE1 postcodes"
    assert not Postcode.objects.filter(postcode=terminated.postcode).exists()

    with pytest.raises(PostcodeError) as error:
        lookup(terminated.postcode.lower().replace(" ", ""))

    assert str(error.value) == (
        f"{terminated.postcode} is no longer in use. Check the postcode on a recent letter."
    )


def test_an_unknown_postcode_still_gets_the_not_found_message():
    with pytest.raises(PostcodeError, match="We could not find NE99 9ZZ"):
        lookup("NE99 9ZZ")


def test_a_live_ne_postcode_has_its_lsoa_after_loading():
    place = lookup("NE1 4ST")

    assert place.lsoa11.startswith("E01")
    assert Postcode.objects.get(postcode="NE1 4ST").lsoa11 == place.lsoa11


def test_every_loaded_ne_postcode_has_an_lsoa():
    assert Postcode.objects.filter(outcode__startswith="NE").exists()
    assert not Postcode.objects.filter(outcode__startswith="NE", lsoa11="").exists()


def test_every_english_council_has_a_name_including_the_recoded_and_new_ones():
    names = dict(LocalAuthority.objects.values_list("code", "name"))

    assert names["E06000057"] == "Northumberland"
    assert names["E08000021"] == "Newcastle upon Tyne"
    assert names["E08000038"] == "Barnsley"
    assert names["E08000039"] == "Sheffield"
    assert names["E06000066"] == "Somerset"
    assert sum(code.startswith("E") for code in names) >= 296


@pytest.mark.parametrize("text", ["Bellingham", "NE46", "12345", "NE46 3NRX"])
def test_text_that_is_not_a_postcode_at_all_is_told_apart(text):
    """The search page then tries town and village names."""
    with pytest.raises(NotAPostcode, match="Enter a full postcode in the right format"):
        lookup(text)


@pytest.mark.parametrize("text", ["NE99 9ZZ", "EH1 1YZ"])
def test_a_well_formed_postcode_that_cannot_be_used_is_not_mistaken_for_a_name(text):
    with pytest.raises(PostcodeError) as error:
        lookup(text)
    assert not isinstance(error.value, NotAPostcode)
