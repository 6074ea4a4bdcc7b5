"""The young auditors' area on the public site: only their own visits, one standard per page,
every answer saved on its own, photos only with consent, and a review sent when complete."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.dates import today
from kitemark import services
from kitemark.choices import AuditStatus as S
from kitemark.models import Answer
from tests.factories.kitemark import audit_to, make_auditor

pytestmark = pytest.mark.django_db


def png(name="ramp.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scheduled(coordinator, listing, auditors):
    return audit_to(S.SCHEDULED, listing=listing, coordinator=coordinator, auditors=auditors)


def assignment_of(audit, auditor):
    return audit.assignments.get(auditor=auditor)


def standard_url(assignment, number=1):
    return reverse("kitemark:review_standard", args=[assignment.pk, number])


def test_someone_signed_out_is_sent_to_the_young_auditors_sign_in(client):
    response = client.get(reverse("kitemark:auditor_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:auditor_sign_in"))


@pytest.mark.parametrize("who", ["family", "provider_a", "coordinator", "moderator"])
def test_only_young_auditors_may_open_the_auditor_area(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("kitemark:auditor_home")).status_code == 403


def test_a_young_auditor_without_an_active_profile_is_refused(client, young_auditor):
    client.force_login(young_auditor)  # in the group, but the coordinator has not added them
    assert client.get(reverse("kitemark:auditor_home")).status_code == 403


def test_an_auditor_sees_only_their_own_visits(client, scheduled, ruby, coordinator, other_listing):
    someone = make_auditor("zed", "Zed")
    other = make_auditor("yas", "Yas")
    audit_to(S.SCHEDULED, listing=other_listing, coordinator=coordinator, auditors=[someone, other])
    client.force_login(ruby.user)
    page = client.get(reverse("kitemark:auditor_home")).content.decode()
    assert "Hexham Saturday Club" in page
    assert "Morpeth Play Scheme" not in page


def test_an_auditor_cannot_open_another_auditors_review(client, scheduled, ruby, kai):
    theirs = assignment_of(scheduled, kai)
    client.force_login(ruby.user)
    assert client.get(reverse("kitemark:review", args=[theirs.pk])).status_code == 404
    assert client.get(standard_url(theirs)).status_code == 404
    assert client.post(standard_url(theirs), {"rating": "yes"}).status_code == 404
    assert client.post(reverse("kitemark:review_check", args=[theirs.pk])).status_code == 404
    assert not Answer.objects.exists()


def test_an_auditor_cannot_see_another_auditors_photo(client, scheduled, ruby, kai):
    theirs = assignment_of(scheduled, kai)
    answer = services.answer_save(
        user=kai.user,
        assignment=theirs,
        standard=scheduled.standard_set.standards.first(),
        rating="yes",
        photo=png(),
        photo_people_confirmed=True,
    )
    client.force_login(ruby.user)
    assert client.get(reverse("kitemark:photo", args=[answer.pk])).status_code == 404
    client.force_login(kai.user)
    assert client.get(reverse("kitemark:photo", args=[answer.pk])).status_code == 200


@pytest.mark.parametrize("who", ["provider_a", "family"])
def test_photos_are_never_shown_to_providers_or_the_public(client, request, scheduled, kai, who):
    answer = services.answer_save(
        user=kai.user,
        assignment=assignment_of(scheduled, kai),
        standard=scheduled.standard_set.standards.first(),
        rating="yes",
        photo=png(),
        photo_people_confirmed=True,
    )
    assert client.get(reverse("kitemark:photo", args=[answer.pk])).status_code == 302  # sign in
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("kitemark:photo", args=[answer.pk])).status_code == 404


def test_the_coordinator_can_see_a_review_photo(client, scheduled, kai, coordinator):
    answer = services.answer_save(
        user=kai.user,
        assignment=assignment_of(scheduled, kai),
        standard=scheduled.standard_set.standards.first(),
        rating="yes",
        photo=png(),
        photo_people_confirmed=True,
    )
    client.force_login(coordinator)
    assert client.get(reverse("kitemark:photo", args=[answer.pk])).status_code == 200


def test_a_photo_gets_a_name_nobody_can_guess(scheduled, kai):
    answer = services.answer_save(
        user=kai.user,
        assignment=assignment_of(scheduled, kai),
        standard=scheduled.standard_set.standards.first(),
        rating="yes",
        photo=png("hexham-club-ramp.png"),
        photo_people_confirmed=True,
    )
    name = answer.photo.name
    assert name.startswith("kitemark/photos/") and "hexham" not in name
    assert len(name.rsplit("/", 1)[1].split(".")[0]) == 32


def test_each_answer_is_saved_on_its_own_and_the_auditor_carries_on_where_they_stopped(
    client, scheduled, ruby
):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    response = client.post(standard_url(mine, 1), {"rating": "yes", "comment": "Big smiles"})
    assert response.status_code == 302
    assert response["Location"] == standard_url(mine, 2)
    client.post(standard_url(mine, 2), {"rating": "partly"})
    assert Answer.objects.filter(assignment=mine).count() == 2
    scheduled.refresh_from_db()
    assert scheduled.status == S.IN_PROGRESS
    # Later, on another day: the review page offers the next unanswered question.
    page = client.get(reverse("kitemark:review", args=[mine.pk])).content.decode()
    assert "Carry on" in page and standard_url(mine, 3) in page
    assert "2 of 14" in page


def test_changing_an_answer_keeps_one_answer_per_standard(client, scheduled, ruby):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    client.post(standard_url(mine, 1), {"rating": "yes"})
    client.post(standard_url(mine, 1), {"rating": "not_yet", "comment": "No ramp"})
    answer = Answer.objects.get(assignment=mine)
    assert (answer.rating, answer.comment) == ("not_yet", "No ramp")


def test_the_standard_page_is_easy_read_with_pictures_beside_words(client, scheduled, ruby):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    page = client.get(standard_url(mine, 1)).content.decode()
    standard = scheduled.standard_set.standards.get(number=1)
    assert standard.easy_read in page and standard.guidance in page
    assert 'enctype="multipart/form-data"' in page


def radio_labels(page: str) -> list[tuple[str, str, str, str]]:
    """(value, picture, alt text, words) of each answer radio, in order."""
    return re.findall(
        r'<input class="govuk-radios__input" id="(id_rating_\d)" name="rating" type="radio" '
        r'value="(\w+)"[^>]*>\s*<label [^>]*for="\1"><img [^>]*src="([^"]+)" alt="([^"]+)" '
        r'width="56" height="56"> <span [^>]*>([^<]+)</span></label>',
        page,
    )


def test_answers_are_picture_radios_with_words_and_text_alternatives(client, scheduled, ruby):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    page = client.get(standard_url(mine, 1)).content.decode()
    assert [choice[1:] for choice in radio_labels(page)] == [
        ("yes", "/static/kitemark/symbols/yes.svg", "Smiling face", "Yes"),
        ("partly", "/static/kitemark/symbols/partly.svg", "Face with a straight mouth", "A bit"),
        ("not_yet", "/static/kitemark/symbols/not_yet.svg", "Sad face", "No"),
    ]
    for character in ("✔", "✘", "✓", "✗"):
        assert character not in page
    assert 'href="/static/kitemark/auditor.css"' in page  # the pictures' tap-sized labels
    response = client.post(standard_url(mine, 1), {"rating": "partly"})
    assert response.status_code == 302
    assert Answer.objects.get(assignment=mine).rating == "partly"
    check = client.get(reverse("kitemark:review_check", args=[mine.pk])).content.decode()
    assert '<img class="app-kitemark-answer__small" src="/static/kitemark/symbols/partly.svg"' in (
        check
    )
    assert "A bit" in check


def test_read_this_out_is_only_added_by_the_script_never_inline(client, scheduled, ruby):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    page = client.get(standard_url(mine, 1)).content.decode()
    # Without JavaScript there is no button: only an inert template the script copies.
    template = re.search(r"<template data-read-aloud-template>(.*?)</template>", page, re.S)
    assert template and 'type="button"' in template.group(1)
    assert "Read this out" in template.group(1)
    assert page.count("Read this out") == 1
    assert 'data-read-aloud="standard-easy-read standard-wording"' in page
    assert 'id="standard-easy-read"' in page and 'id="standard-wording"' in page
    # An external script, as the Content Security Policy (script-src 'self') needs.
    assert '<script src="/static/kitemark/read-aloud.js"></script>' in page
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    assert "script-src 'self'" in settings.CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({}, "Choose yes, a bit or no"),
        ({"rating": "maybe"}, "Select a valid choice"),
        ({"rating": "yes", "comment": "x" * 1001}, "1,000 characters or fewer"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(client, scheduled, ruby, data, field_error):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    response = client.post(standard_url(mine, 1), data)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_photo_needs_the_no_people_confirmation(client, scheduled, ruby):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    response = client.post(standard_url(mine, 1), {"rating": "yes", "photo": png()})
    assert "no people in the photo" in response.content.decode()
    assert not Answer.objects.exists()
    client.post(
        standard_url(mine, 1), {"rating": "yes", "photo": png(), "photo_people_confirmed": "on"}
    )
    assert Answer.objects.get().photo


def test_a_file_that_is_not_a_picture_is_refused(client, scheduled, ruby):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(
        standard_url(mine, 1), {"rating": "yes", "photo": fake, "photo_people_confirmed": "on"}
    )
    assert "must be a picture" in response.content.decode()


def test_an_unknown_standard_number_is_not_found(client, scheduled, ruby):
    client.force_login(ruby.user)
    assert client.get(standard_url(assignment_of(scheduled, ruby), 99)).status_code == 404


def test_answers_wait_for_the_day_of_the_visit(client, coordinator, listing, auditors, ruby):
    audit = audit_to(
        S.SCHEDULED,
        listing=listing,
        coordinator=coordinator,
        auditors=auditors,
        visit_date=today() + datetime.timedelta(days=5),
    )
    mine = assignment_of(audit, ruby)
    client.force_login(ruby.user)
    assert (
        "You can start on the day of the visit"
        in client.get(reverse("kitemark:review", args=[mine.pk])).content.decode()
    )
    response = client.post(standard_url(mine, 1), {"rating": "yes"})
    assert response.status_code == 302 and not Answer.objects.exists()


def test_a_review_is_sent_only_when_every_standard_is_answered(client, scheduled, ruby, kai):
    mine = assignment_of(scheduled, ruby)
    client.force_login(ruby.user)
    client.post(standard_url(mine, 1), {"rating": "yes"})
    response = client.post(reverse("kitemark:review_check", args=[mine.pk]))
    assert response.status_code == 200
    assert "Answer every question first" in response.content.decode()
    for standard in scheduled.standard_set.standards.all():
        client.post(standard_url(mine, standard.number), {"rating": "yes"})
    response = client.post(reverse("kitemark:review_check", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.submitted_at is not None
    scheduled.refresh_from_db()
    assert scheduled.status == S.IN_PROGRESS  # Kai has not sent theirs yet
    # A sent review cannot change.
    client.post(standard_url(mine, 1), {"rating": "not_yet"})
    assert Answer.objects.get(assignment=mine, standard__number=1).rating == "yes"


def test_when_every_auditor_has_sent_their_review_the_coordinator_is_told(
    client, scheduled, auditors, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    for auditor in auditors:
        client.force_login(auditor.user)
        mine = assignment_of(scheduled, auditor)
        for standard in scheduled.standard_set.standards.all():
            client.post(standard_url(mine, standard.number), {"rating": "yes"})
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("kitemark:review_check", args=[mine.pk]))
    scheduled.refresh_from_db()
    assert scheduled.status == S.SUBMITTED
    assert any("coordinator@example.org" in m.to for m in mailoutbox)


def test_the_auditor_area_shows_nothing_about_families(client, scheduled, ruby, family):
    client.force_login(ruby.user)
    mine = assignment_of(scheduled, ruby)
    for url in (
        reverse("kitemark:auditor_home"),
        reverse("kitemark:review", args=[mine.pk]),
        standard_url(mine),
        reverse("kitemark:review_check", args=[mine.pk]),
    ):
        page = client.get(url).content.decode()
        assert family.email not in page and "family@" not in page


def test_the_account_page_links_an_auditor_to_their_visits(rf, scheduled, ruby, family):
    from kitemark.views import account_panel

    request = rf.get("/account/")
    request.user = ruby.user
    panel = account_panel(request)
    assert panel["links"][0][1] == reverse("kitemark:auditor_home")
    assert "1 to do" in panel["links"][0][0]
    request.user = family
    assert account_panel(request) is None


def test_the_account_page_shows_the_auditors_kitemark_panel(client, scheduled, ruby):
    client.force_login(ruby.user)
    page = client.get(reverse("account:home")).content.decode()
    assert "Kitemark visits" in page
    assert reverse("kitemark:auditor_home") in page
