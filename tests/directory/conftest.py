"""Directory fixtures shared by the DBS tests: one provider's member of staff and the DBS
check the provider sent for them, waiting for the council."""

import datetime

import pytest

from core.dates import today
from directory import services
from directory.choices import DBSLevel
from directory.models import StaffMember

CERTIFICATE = "001234567890"
ISSUED_DAYS_AGO = 100


@pytest.fixture
def person_a(org_a):
    return StaffMember.objects.create(organisation=org_a, full_name="Priya Shah", role="Support")


@pytest.fixture
def check_a(person_a, provider_a):
    return services.dbs_check_submit(
        user=provider_a,
        person=person_a,
        level=DBSLevel.ENHANCED_CHILDREN,
        certificate_number=CERTIFICATE,
        issue_date=today() - datetime.timedelta(days=ISSUED_DAYS_AGO),
    )
