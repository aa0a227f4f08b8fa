"""Hostile image uploads on every form that takes one: refused with a message, the form re-rendered."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

HTML = b"<html><script>alert(document.domain)</script></html>"


def _png_bomb(side: int = 30_000) -> bytes:
    """A few kilobytes that claim side × side pixels: the decoder must refuse before allocating."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"\x00" * (side // 8 + 1) * 64)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _jpeg(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "JPEG")
    return out.getvalue()


HOSTILE = {
    "oversize": ("big.jpg", _jpeg() + b"\x00" * (6 * 1024 * 1024), "too large"),
    "html named as png": ("me.png", HTML, "upload a valid image"),
    "svg with script": ("me.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                        "upload a valid image"),
    "gif/html polyglot": ("me.gif", b"GIF89a/*" + HTML, "upload a valid image"),
    "decompression bomb": ("bomb.png", _png_bomb(), "upload a valid image"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_avatar_is_refused_with_a_message(client, member, case):
    name, data, message = HOSTILE[case]
    client.force_login(member)
    response = client.post("/me/profile/", {
        "display_name": "Mei Kept", "language": "en",
        "avatar": SimpleUploadedFile(name, data, "image/png")})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body.lower()
    assert "Mei Kept" in body
    member.refresh_from_db()
    assert not member.avatar


@pytest.mark.django_db
def test_html_after_a_real_image_is_dropped_by_re_encoding(client, member):
    client.force_login(member)
    response = client.post("/me/profile/", {
        "display_name": "Mei", "language": "en",
        "avatar": SimpleUploadedFile("me.jpg", _jpeg() + HTML, "image/jpeg")})
    assert response.status_code == 302
    member.refresh_from_db()
    assert b"<script" not in member.avatar.read()
