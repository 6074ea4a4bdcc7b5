"""Search results read right for one: "1 result", not "1 results"."""

import re

import pytest

from tests.factories.directory import (
    InclusiveClubPageFactory,
)
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


def test_one_result_is_one_result(client, org_a):
    InclusiveClubPageFactory(
        organisation=org_a, title="Friday club", postcode=postcode_in("NE46 3")
    )
    results = client.get("/search/", {"postcode": postcode_in("NE46 3")}).content.decode()
    assert re.search(r">\s*1 result near NE46 3", results)
    assert "Showing 1 result within" in results
