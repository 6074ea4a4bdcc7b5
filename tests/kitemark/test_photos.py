"""A young auditor's review photo is kept as pixels only: no GPS position or camera in it,
its type from its content, and never served from /media/."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from home.views import public_media
from kitemark import services
from kitemark.choices import AuditStatus as S
from tests.factories.kitemark import audit_to

pytestmark = pytest.mark.django_db

GPS_TAG = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scheduled(coordinator, listing, auditors):
    return audit_to(S.SCHEDULED, listing=listing, coordinator=coordinator, auditors=auditors)


def jpeg_with_location(name="ramp.jpg") -> SimpleUploadedFile:
    """A phone photo as phones send it: EXIF with a GPS position and the camera's make."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[GPS_TAG] = {1: "N", 2: (54.0, 58.0, 21.0), 3: "W", 4: (2.0, 6.0, 9.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def save(scheduled, kai, photo):
    return services.answer_save(
        user=kai.user,
        assignment=scheduled.assignments.get(auditor=kai),
        standard=scheduled.standard_set.standards.first(),
        rating="yes",
        photo=photo,
        photo_people_confirmed=True,
    )


def test_the_photos_location_and_camera_are_not_kept(scheduled, kai):
    upload = jpeg_with_location()
    assert Image.open(io.BytesIO(upload.read())).getexif().get(GPS_TAG)  # the phone's photo has it
    upload.seek(0)
    answer = save(scheduled, kai, upload)
    stored = answer.photo.open("rb").read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (40, 30)
    assert not image.getexif()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored


def test_a_picture_named_like_a_document_is_stored_and_served_as_what_it_is(client, scheduled, kai):
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 128, 0, 128)).save(buffer, "PNG")
    answer = save(scheduled, kai, SimpleUploadedFile("notes.pdf", buffer.getvalue()))
    assert answer.photo.name.endswith(".png")
    client.force_login(kai.user)
    response = client.get(reverse("kitemark:photo", args=[answer.pk]))
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 not a picture", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", b""],
)
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_changes(scheduled, kai, content):
    with pytest.raises(ValidationError, match="must be a picture"):
        save(scheduled, kai, SimpleUploadedFile("ramp.jpg", content))
    assert not scheduled.assignments.get(auditor=kai).answers.exists()


def test_a_huge_photo_is_kept_no_larger_than_it_needs_to_be(scheduled, kai):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "green").save(buffer, "JPEG")
    answer = save(scheduled, kai, SimpleUploadedFile("big.jpg", buffer.getvalue()))
    assert max(Image.open(answer.photo.open("rb")).size) == 2000


def test_review_photos_are_never_served_from_media(settings, scheduled, kai):
    answer = save(scheduled, kai, jpeg_with_location())
    request = RequestFactory().get(f"/media/{answer.photo.name}")
    with pytest.raises(Http404):
        public_media(request, answer.photo.name)
    for disguised in (
        "/" + answer.photo.name,
        "images/../" + answer.photo.name,
        "./" + answer.photo.name,
        "images/%2e%2e/" + answer.photo.name,
    ):
        with pytest.raises(Http404):
            public_media(request, disguised)
    other = settings.MEDIA_ROOT / "images" / "ramp.txt"
    other.parent.mkdir(parents=True)
    other.write_text("a public file")
    assert public_media(request, "images/ramp.txt").status_code == 200
