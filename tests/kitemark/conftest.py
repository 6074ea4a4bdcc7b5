import pytest

from tests.factories.directory import ShortBreakServicePageFactory
from tests.factories.kitemark import make_auditor


@pytest.fixture
def listing(org_a):
    return ShortBreakServicePageFactory(organisation=org_a, title="Hexham Saturday Club")


@pytest.fixture
def other_listing(org_b):
    return ShortBreakServicePageFactory(organisation=org_b, title="Morpeth Play Scheme")


@pytest.fixture
def auditors(db):
    return [make_auditor("ruby", "Ruby"), make_auditor("kai", "Kai")]


@pytest.fixture
def ruby(auditors):
    return auditors[0]


@pytest.fixture
def kai(auditors):
    return auditors[1]
