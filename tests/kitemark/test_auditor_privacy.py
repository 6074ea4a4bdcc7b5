"""A young auditor's data: they (or the coordinator, for them) download it, it is erased when
they ask or leave, and photos and comments are not kept for ever. Erasing a young person never
undoes the panel's decision (docs/privacy.md)."""

import datetime
import io
import json
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.dates import today
from kitemark import privacy, services
from kitemark.choices import AuditStatus as S
from kitemark.models import FORMER_AUDITOR, Answer, Assignment, Audit, AuditorProfile
from tests.factories.kitemark import audit_to, make_auditor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def awarded(coordinator, listing, auditors):
    return audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)


def photo_of_a_ramp() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("ramp.jpg", buffer.getvalue(), content_type="image/jpeg")


def with_photo(audit, auditor) -> Answer:
    """The auditor's answer to the first standard, with a photo (saved as the auditor does
    while their review is open, or put on it directly once it is sent)."""
    assignment = audit.assignments.get(auditor=auditor)
    standard = audit.standard_set.standards.first()
    if assignment.submitted_at is None:
        return services.answer_save(
            user=auditor.user,
            assignment=assignment,
            standard=standard,
            rating="yes",
            photo=photo_of_a_ramp(),
            photo_people_confirmed=True,
        )
    answer = assignment.answers.get(standard=standard)
    answer.photo_people_confirmed = True
    answer.photo.save("ramp.jpg", photo_of_a_ramp())
    return answer


def test_deleting_a_young_auditor_keeps_the_kitemark_their_review_helped_award(awarded, ruby):
    """Assignment.auditor was PROTECT: a young person who had been on a visit could never be
    erased."""
    try:
        AuditorProfile.objects.get(pk=ruby.pk).delete()
    except ProtectedError:
        pytest.fail("a young auditor who went on a visit cannot be deleted")
    assignment = Assignment.objects.get(audit=awarded, auditor__isnull=True)
    assert assignment.auditor_name == FORMER_AUDITOR == "A former panel member"
    assert Audit.objects.get(pk=awarded.pk).is_current_award


def test_erasing_a_young_auditor_keeps_the_ratings_and_removes_their_words_and_account(
    awarded, ruby, kai, coordinator, client
):
    ratings = list(Answer.objects.filter(assignment__auditor=ruby).values_list("rating", flat=True))
    privacy.auditor_erase(user=coordinator, profile=ruby, reason="their parent asked")
    assert not get_user_model().objects.filter(username="ruby").exists()
    former = Assignment.objects.get(audit=awarded, auditor__isnull=True)
    assert list(former.answers.values_list("rating", flat=True)) == ratings
    assert not former.answers.exclude(comment="").exists()
    assert Audit.objects.get(pk=awarded.pk).status == S.AWARDED
    client.force_login(coordinator)
    panel = client.get(reverse("kitemark_admin:audit_panel", args=[awarded.pk]))
    assert panel.status_code == 200 and FORMER_AUDITOR in panel.content.decode()


def test_a_photo_leaves_storage_when_its_young_auditor_is_erased(
    awarded, kai, coordinator, django_capture_on_commit_callbacks
):
    answer = with_photo(awarded, kai)
    stored = answer.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        privacy.auditor_erase(user=coordinator, profile=kai)
    assert not Answer.objects.get(pk=answer.pk).photo
    assert not os.path.exists(stored)


def test_a_review_not_yet_sent_goes_whole_with_its_photo(
    coordinator, listing, auditors, kai, django_capture_on_commit_callbacks
):
    scheduled = audit_to(S.SCHEDULED, listing=listing, coordinator=coordinator, auditors=auditors)
    stored = with_photo(scheduled, kai).photo.path
    with django_capture_on_commit_callbacks(execute=True):
        privacy.auditor_erase(user=coordinator, profile=kai)
    assert list(scheduled.assignments.values_list("auditor__first_name", flat=True)) == ["Ruby"]
    assert not os.path.exists(stored)


def test_reminders_skip_a_review_whose_auditor_has_been_erased(awarded, ruby, coordinator):
    privacy.auditor_erase(user=coordinator, profile=ruby)
    Assignment.objects.filter(auditor__isnull=True).update(submitted_at=None)
    Audit.objects.filter(pk=awarded.pk).update(
        status=S.IN_PROGRESS, visit_date=today() - datetime.timedelta(days=30)
    )
    counts = services.reminders_send()
    assert counts["review_overdue"] == 0


def test_photos_and_unpublished_comments_go_a_year_after_the_panel_decided(
    awarded, kai, settings, django_capture_on_commit_callbacks
):
    answer = with_photo(awarded, kai)
    stored = answer.photo.path
    assert privacy.retention_enforce()["photos_deleted"] == 0
    months = settings.KITEMARK_RETENTION["review_months"]
    Audit.objects.filter(pk=awarded.pk).update(
        decided_on=today() - datetime.timedelta(days=31 * months + 1)
    )
    Answer.objects.filter(assignment__auditor__first_name="Ruby").update(quote_published=True)
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.retention_enforce()
    assert counts["photos_deleted"] == 1 and not os.path.exists(stored)
    assert not Answer.objects.filter(assignment__auditor=kai).exclude(comment="").exists()
    published = Answer.objects.filter(quote_published=True).exclude(comment="")
    assert published.exists()  # the quotes on the public page stay, without names
    assert Audit.objects.get(pk=awarded.pk).status == S.AWARDED


def test_a_young_auditor_not_on_a_visit_for_two_years_is_erased(awarded, ruby, kai, settings):
    months = settings.KITEMARK_RETENTION["auditor_inactive_months"]
    long_ago = today() - datetime.timedelta(days=31 * months + 1)
    Audit.objects.filter(pk=awarded.pk).update(visit_date=long_ago)
    AuditorProfile.objects.update(created_at=timezone.now() - datetime.timedelta(days=2000))
    new = make_auditor("noor", "Noor")
    assert privacy.retention_enforce()["auditors_erased"] == 2
    assert list(AuditorProfile.objects.values_list("pk", flat=True)) == [new.pk]
    assert Audit.objects.get(pk=awarded.pk).status == S.AWARDED


def test_a_young_auditor_downloads_what_is_held_about_them_in_words(client, awarded, kai):
    AuditorProfile.objects.filter(pk=kai.pk).update(access_needs="Easy read, extra time")
    client.force_login(kai.user)
    response = client.get(reverse("kitemark:my_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["access_needs"] == "Easy read, extra time"
    [visit] = data["visits"]
    assert visit["setting"] == "Hexham Saturday Club"
    first = visit["answers"][0]
    assert first["answer"] == "Yes" and first["standard"].startswith("Young people are greeted")


def test_a_young_auditor_cannot_download_another_auditors_data(client, awarded, kai, ruby):
    client.force_login(kai.user)
    response = client.get(reverse("kitemark_admin:auditor_data", args=[ruby.pk]))
    assert response.status_code in (302, 403)


def test_a_young_auditor_deletes_their_account_with_a_clear_yes(client, awarded, kai):
    client.force_login(kai.user)
    url = reverse("kitemark:delete_account")
    refused = client.post(url, {})
    assert "Select yes to delete your account" in refused.content.decode()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not AuditorProfile.objects.filter(pk=kai.pk).exists()
    assert Audit.objects.get(pk=awarded.pk).status == S.AWARDED


def test_the_coordinator_erases_a_young_auditor_saying_why(client, awarded, coordinator, ruby):
    client.force_login(coordinator)
    url = reverse("kitemark_admin:auditor_erase", args=[ruby.pk])
    refused = client.post(url, {"reason": "left the panel"})
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    assert AuditorProfile.objects.filter(pk=ruby.pk).exists()
    done = client.post(url, {"reason": "left the panel", "confirm": "on"})
    assert done.status_code == 302 and not AuditorProfile.objects.filter(pk=ruby.pk).exists()
    data = client.get(reverse("kitemark_admin:auditor_data", args=[ruby.pk]))
    assert data.status_code == 404


def test_the_coordinators_overview_links_to_each_auditors_data_and_erasure(
    client, coordinator, ruby
):
    client.force_login(coordinator)
    page = client.get(reverse("kitemark_admin:overview")).content.decode()
    assert reverse("kitemark_admin:auditor_data", args=[ruby.pk]) in page
    assert reverse("kitemark_admin:auditor_erase", args=[ruby.pk]) in page
