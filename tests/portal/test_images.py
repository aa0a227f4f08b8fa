import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.images import clean_image


def jpeg_with_exif():
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("photo.JPG", buf.getvalue(), content_type="image/jpeg")


def test_exif_is_stripped_and_image_reencoded():
    cleaned = clean_image(jpeg_with_exif())
    with Image.open(io.BytesIO(cleaned.read())) as out:
        assert out.format == "JPEG"
        assert not out.getexif()
    assert cleaned.name.endswith(".jpg")


def test_type_is_checked_by_content_not_name():
    html = SimpleUploadedFile("cat.png", b"<html><script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationError) as exc:
        clean_image(html)
    assert exc.value.code == "bad_type"


def test_gif_is_refused():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "GIF")
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("a.gif", buf.getvalue()))


def test_too_many_bytes_is_refused():
    upload = SimpleUploadedFile("big.png", b"0" * 2048)
    with pytest.raises(ValidationError) as exc:
        clean_image(upload, max_bytes=1024)
    assert exc.value.code == "too_large"


def test_too_many_pixels_is_refused():
    buf = io.BytesIO()
    Image.new("L", (3000, 3000)).save(buf, "PNG")
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("bomb.png", buf.getvalue()), max_pixels=1_000_000)
    assert exc.value.code == "too_big"


@pytest.mark.django_db
def test_avatar_upload_is_validated_on_the_profile(client, member):
    client.force_login(member)
    bad = SimpleUploadedFile("me.png", b"not an image", "image/png")
    response = client.post("/me/profile/", {"display_name": "Mei New", "avatar": bad})
    assert response.status_code == 200
    assert "Mei New" in response.content.decode()
    response = client.post("/me/profile/", {"display_name": "Mei New", "avatar": jpeg_with_exif(),
                                            "language": "en"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Mei New" and member.avatar.name.endswith(".jpg")
