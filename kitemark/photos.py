"""Review photos as stored: re-encoded from their pixels, so nothing of the original file comes
with them (no GPS position, camera or date in EXIF, no text chunks, nothing hidden after the
image), with their type decided by their content, not by the name they were uploaded with."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 2000  # pixels: enough to see a ramp or a sign, and no more
FORMATS = {"JPEG": ("JPEG", ".jpg"), "PNG": ("PNG", ".png"), "GIF": ("PNG", ".png"),
           "WEBP": ("JPEG", ".jpg")}  # fmt: skip
REFUSED = "The photo must be a picture (JPG, PNG or GIF)"


def stored_photo(upload) -> ContentFile:
    """The photo to keep: its pixels only, upright, at most MAX_SIDE on a side, as JPEG (or
    PNG for a PNG or GIF, keeping transparency). Raises ValidationError if it is not a picture."""
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            kind = original.format
            if kind not in FORMATS:
                raise ValidationError(REFUSED)
            original.seek(0)  # a GIF's first frame
            image = ImageOps.exif_transpose(original)  # turn it as the camera meant, then drop EXIF
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            save_as, extension = FORMATS[kind]
            if save_as == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if save_as == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            pixels = Image.new(image.mode, image.size)
            pixels.paste(image)  # a fresh image: no info, no EXIF, no ICC carried over
            out = io.BytesIO()
            pixels.save(out, save_as, **({"quality": 85} if save_as == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(REFUSED) from error
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}{extension}")
