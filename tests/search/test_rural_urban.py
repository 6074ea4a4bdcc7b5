"""Importing the ONS 2011 Rural-Urban Classification: places are then classified by it, and
by postcode density where it says nothing."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from gazetteer.models import RuralUrbanClass
from search.places import METHOD_DENSITY, METHOD_ONS, classify, place_from_postcode
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


def shared_data() -> Path:
    """The project's reference data: $SHARED_DATA, else ../shared/data beside the checkout,
    else the team's shared folder on the development machine."""
    candidates = [
        os.environ.get("SHARED_DATA", ""),
        Path(settings.BASE_DIR).parent / "shared" / "data",
        "/work/shared/data",
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), Path(candidates[1]))


RUC_CSV = shared_data() / "geo" / "ruc_2011_lsoa.csv"
needs_ruc_file = pytest.mark.skipif(
    not RUC_CSV.exists(),
    reason=f"The ONS RUC 2011 file is not at {RUC_CSV} (see ../shared/data/README.md)",
)


def import_ruc(path=RUC_CSV) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_rural_urban", str(path), stdout=out)
    return out.getvalue()


@needs_ruc_file
def test_after_import_bellingham_is_rural_and_newcastle_city_centre_urban_by_the_ons():
    import_ruc()

    place, village = place_from_postcode(postcode_in("NE48 2"))
    _city_place, city = place_from_postcode(postcode_in("NE1 4"))

    assert village.method == city.method == METHOD_ONS == "ONS Rural-Urban Classification 2011"
    assert village.rural is True and place.rural is True
    assert village.detail.startswith("Rural")
    assert city.rural is False
    assert city.detail == "Urban major conurbation"


@needs_ruc_file
def test_importing_the_same_file_twice_changes_nothing():
    first = import_ruc()
    rows = sorted(RuralUrbanClass.objects.values_list("lsoa11", "code", "name"))
    second = import_ruc()

    assert "34,753 added" in first
    assert "0 added, 0 updated, 34,753 unchanged" in second
    assert sorted(RuralUrbanClass.objects.values_list("lsoa11", "code", "name")) == rows


def test_a_header_in_any_case_with_a_byte_order_mark_is_read_and_d_and_e_codes_are_rural(
    tmp_path,
):
    path = tmp_path / "ruc.csv"
    path.write_text(
        "\ufeffLSOA11CD,lsoa11nm,ruc11cd,ruc11\n"
        "E01000001,Somewhere 001A,A1,Urban major conurbation\n"
        "E01000002,Somewhere 001B,D1,Rural town and fringe\n"
        "E01000003,Somewhere 001C,E2,Rural village and dispersed in a sparse setting\n",
        encoding="utf-8",
    )

    out = import_ruc(path)

    assert "3 LSOAs read (2 rural, 1 urban)" in out
    rural = dict(RuralUrbanClass.objects.values_list("lsoa11", "code"))
    assert rural == {"E01000001": "A1", "E01000002": "D1", "E01000003": "E2"}
    assert [RuralUrbanClass.objects.get(lsoa11=c).rural for c in sorted(rural)] == [
        False,
        True,
        True,
    ]


def test_a_csv_without_the_classification_columns_is_refused_clearly(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("lsoa,name\nE01000001,City of London 001A\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"missing column\(s\) RUC11CD, RUC11"):
        import_ruc(path)
    assert not RuralUrbanClass.objects.exists()


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_ruc(tmp_path / "absent.csv")


def test_without_an_import_places_are_classified_by_postcode_density():
    place, classification = place_from_postcode(postcode_in("NE48 2"))

    assert classification.method == METHOD_DENSITY
    assert classification.rural is True
    assert classify(place.latitude, place.longitude, "E01999999").method == METHOD_DENSITY
