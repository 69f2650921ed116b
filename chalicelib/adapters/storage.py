"""Attachments in S3: presigned POST slots, the check after upload, public copies."""

from __future__ import annotations

import io

from botocore.exceptions import ClientError
from PIL import Image, UnidentifiedImageError

from chalicelib import settings
from chalicelib.adapters.aws import client
from chalicelib.errors import DependencyError, ValidationError, field_error

ALLOWED_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_BYTES = 10 * 1024 * 1024
SLOT_SECONDS = 600
READ_SECONDS = 900

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs, not only warn


def upload_slot(key: str, content_type: str, size: int) -> dict:
    """A presigned POST that accepts exactly this key and type, and at most ``size``."""
    try:
        return client("s3").generate_presigned_post(
            settings.bucket(),
            key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, size],
            ],
            ExpiresIn=SLOT_SECONDS,
        )
    except ClientError as error:
        raise DependencyError() from error


def _bad(vi: str, en: str) -> ValidationError:
    return ValidationError(
        code="upload_invalid",
        message=vi,
        message_en=en,
        fields=field_error("upload_ids", vi, en),
    )


def verify_image(key: str, declared_type: str, declared_size: int) -> None:
    """Accept an upload only if it is what the slot promised.

    moto (and a misbehaving client) can store objects that break the POST policy, so
    size, type by magic bytes and a full decode are checked here, after the fact.
    """
    s3 = client("s3")
    try:
        head = s3.head_object(Bucket=settings.bucket(), Key=key)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            raise _bad(
                "Ảnh chưa được tải lên.", "The file was not uploaded."
            ) from error
        raise DependencyError() from error
    size = head["ContentLength"]
    if size > min(declared_size, MAX_BYTES) or size == 0:
        raise _bad("Ảnh vượt quá dung lượng cho phép.", "The file is too large.")
    body = s3.get_object(Bucket=settings.bucket(), Key=key)["Body"].read()
    expected = ALLOWED_TYPES.get(declared_type)
    if sniff(body[:16]) != expected:
        raise _bad(
            "Tệp không phải ảnh JPEG, PNG hoặc WEBP.",
            "The file is not a JPEG, PNG or WEBP image.",
        )
    try:
        with Image.open(io.BytesIO(body)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise _bad(
            "Ảnh bị hỏng, không mở được.", "The image cannot be decoded."
        ) from error


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def write_public_copy(key: str, public_key: str, max_side: int | None = None) -> None:
    """Re-encode the image without its metadata (EXIF GPS, camera serial).

    With ``max_side``, the copy is scaled down to fit that square: a thumbnail for
    lists read on a phone."""
    s3 = client("s3")
    body = s3.get_object(Bucket=settings.bucket(), Key=key)["Body"].read()
    with Image.open(io.BytesIO(body)) as image:
        fmt = image.format
        clean = Image.new(image.mode, image.size)
        clean.putdata(list(image.getdata()))
    if max_side:
        clean.thumbnail((max_side, max_side))
    out = io.BytesIO()
    clean.save(out, format=fmt)
    s3.put_object(
        Bucket=settings.bucket(),
        Key=public_key,
        Body=out.getvalue(),
        ContentType=f"image/{fmt.lower()}",
    )


def read_url(key: str) -> str:
    return client("s3").generate_presigned_url(
        "get_object",
        Params={"Bucket": settings.bucket(), "Key": key},
        ExpiresIn=READ_SECONDS,
    )


def delete_objects(keys: list[str]) -> None:
    """Remove objects (public copies taken down); missing ones are no error."""
    if not keys:
        return
    try:
        client("s3").delete_objects(
            Bucket=settings.bucket(),
            Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True},
        )
    except ClientError as error:
        raise DependencyError() from error
