"""A site is not ready to go live until safeguarding concerns have somewhere real to go."""

from django.core.checks import run_checks


def deploy_errors():
    return [e for e in run_checks(include_deployment_checks=True) if e.id == "directory.E001"]


def test_the_deploy_check_refuses_the_example_safeguarding_addresses(settings):
    settings.SAFEGUARDING_EMAIL = "safeguarding@example.org"
    settings.LADO_EMAIL = ""
    assert len(deploy_errors()) == 2


def test_the_deploy_check_passes_with_the_councils_own_addresses(settings):
    settings.SAFEGUARDING_EMAIL = "childrens-front-door@northumberland.gov.uk"
    settings.LADO_EMAIL = "lado@northumberland.gov.uk"
    assert deploy_errors() == []


def test_the_everyday_check_leaves_a_developers_example_addresses_alone(settings):
    settings.SAFEGUARDING_EMAIL = "safeguarding@example.org"
    assert not [e for e in run_checks() if e.id == "directory.E001"]
