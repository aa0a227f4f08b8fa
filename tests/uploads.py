"""Uploads as a browser sends them, and a page fetched as one person: shared by the private-file tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def image_bytes(image_format: str = "PNG", colour: str = "pink", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name: str, image_format: str = "PNG", **kwargs) -> SimpleUploadedFile:
    """A real image file under the name a member's camera gave it."""
    return SimpleUploadedFile(name, image_bytes(image_format, **kwargs),
                              content_type=CONTENT_TYPES[image_format])


def get_as(client, user, url):
    """GET `url` signed in as `user`, or as a visitor when `user` is None."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)
