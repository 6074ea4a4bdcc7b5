"""Helpers tests share: people with roles, real postcodes from the test gazetteer, and what a
refusal looks like."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from gazetteer.models import Postcode

PASSWORD = "correct horse battery staple"


def make_user(username: str, *groups: str, **fields):
    """A person who can sign in with PASSWORD, in the named groups."""
    user = get_user_model().objects.create_user(
        username=username,
        email=fields.pop("email", f"{username}@example.org"),
        password=PASSWORD,
        **fields,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def postcode_in(sector: str) -> str:
    """The first real postcode in a postcode sector ("NE1 4") of the test gazetteer."""
    return Postcode.objects.filter(sector=sector).order_by("postcode").first().postcode


def assert_denied(response):
    """The admin turns a PermissionDenied into a redirect to the dashboard with a message;
    elsewhere it is a 403. Either way, nothing is shown or changed."""
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/") or response[
            "Location"
        ].startswith("/admin/login/"), response["Location"]
    else:
        assert response.status_code == 403, response.status_code
