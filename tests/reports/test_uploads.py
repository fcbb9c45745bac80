"""Uploads through the real pages: a report's cover, an imported press release's cover and an
akim's photo in the admin. A file of the wrong type (a PDF or text renamed .jpg, an SVG with a
script), a file over the size limit and a decompression bomb (a few KB of PNG declaring
20000 × 20000 pixels) are each refused with a clear message in Kazakh and in Russian, and
nothing is written: no row changes, no file is left under MEDIA_ROOT."""

import io
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from districts.models import Akim
from reports.models import Report, ReportEvent
from tests.factories import UserFactory
from tests.reports.factories import make_report

pytestmark = [
    pytest.mark.django_db,
    # Pillow warns on opening the 100-megapixel file; refusing it is the point.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

WRONG_TYPE = "Upload a photo in JPEG, PNG or WebP format."
TOO_MANY_PIXELS = "The image has too many pixels."
TOO_LARGE = "The image is too large: at most %(mb)d MB."


def message(msgid: str, language: str) -> str:
    """What the resident-facing catalogue says, checked to be a real translation."""
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} is not translated into {language}"
    if "%(mb)d" in msgid:
        text = text % {"mb": settings.REPORTS_COVER_MAX_BYTES >> 20}
    return text


def _image(size=(1200, 630), fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, format=fmt)
    return buffer.getvalue()


@cache
def bomb(side: int = 20_000) -> bytes:
    """A valid PNG of side × side one-bit pixels: tens of KB on disk, hundreds of megapixels
    (and, decoded as RGB, over a gigabyte) in memory. Pillow refuses to open it; smaller sides
    pass Pillow's own limit with a warning and must be stopped by ours."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def oversized() -> bytes:
    """A real JPEG that opens fine, padded after its end marker past the byte limit."""
    return _image() + b"\0" * (settings.REPORTS_COVER_MAX_BYTES + 1)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" '
    b'onload="alert(1)"><script>alert(2)</script><rect width="1200" height="630"/></svg>'
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# (case, file name, content type, bytes, the message a person gets)
BAD_FILES = [
    ("pdf renamed .jpg", "cover.jpg", "image/jpeg", lambda: PDF, WRONG_TYPE),
    ("text renamed .jpg", "cover.jpg", "image/jpeg", lambda: "Бұл сурет емес".encode(), WRONG_TYPE),
    ("svg with a script", "cover.svg", "image/svg+xml", lambda: SVG, WRONG_TYPE),
    ("svg renamed .png", "cover.png", "image/png", lambda: SVG, WRONG_TYPE),
    ("gif", "cover.gif", "image/gif", lambda: _image(fmt="GIF"), WRONG_TYPE),
    ("over the byte limit", "cover.jpg", "image/jpeg", oversized, TOO_LARGE),
    ("decompression bomb", "cover.png", "image/png", bomb, TOO_MANY_PIXELS),
    ("100 megapixels", "cover.png", "image/png", lambda: bomb(10_000), TOO_MANY_PIXELS),
]
CASES = [pytest.param(*case[1:], id=case[0]) for case in BAD_FILES]


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The staff accounts sign in with force_login: a slow password hash only costs time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def report_state(report: Report) -> tuple:
    # In one language: modeltranslation's values() fills title, lead, … from the active one.
    with translation.override("kk"):
        row = Report.objects.filter(pk=report.pk).values().get()
    return row, ReportEvent.objects.filter(report=report).count()


def test_the_upload_limits_are_sane():
    # Non-file fields stay capped (Django's default 2.5 MB: a report body is far smaller), and
    # an upload bigger than that streams to a temporary file instead of living in memory.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.REPORTS_COVER_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES is not None
    assert settings.REPORTS_COVER_MAX_BYTES == 5 * 1024 * 1024  # what the form's help text promises


def test_a_body_over_the_memory_limit_is_a_400_not_a_500(client, almaly, almaly_staff):
    client.force_login(almaly_staff)
    huge = "а" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/ru/reports/staff/new/", {"unit": almaly.slug, "title_kk": "Есеп", "body_kk": huge})
    assert response.status_code == 400
    assert not Report.objects.exists()


# --- A report's cover ------------------------------------------------------------------------------


def test_a_good_cover_is_saved_with_its_renditions(client, almaly, almaly_staff, media):
    """The control: the same request with a real photo is accepted, so the refusals below are
    about the files."""
    report = make_report(almaly, almaly_staff)
    client.force_login(almaly_staff)
    upload = SimpleUploadedFile("cover.jpg", _image(), content_type="image/jpeg")
    response = client.post(f"/ru/reports/staff/{report.pk}/cover/", {"cover": upload, "cover_alt_ru": "Зал"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.cover and report.cover_small
    assert len(files_under(media)) == 2


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize(("name", "content_type", "content", "msgid"), CASES)
def test_a_bad_cover_is_refused_with_a_clear_message_and_nothing_is_written(
    client, almaly, almaly_staff, media, language, name, content_type, content, msgid
):
    report = make_report(almaly, almaly_staff)
    before = report_state(report)
    client.force_login(almaly_staff)
    upload = SimpleUploadedFile(name, content(), content_type=content_type)

    response = client.post(
        f"/{language}/reports/staff/{report.pk}/cover/",
        {"cover": upload, "cover_alt_kk": "Сурет", "cover_alt_ru": "Фото"},
    )

    assert response.status_code == 400
    assert message(msgid, language) in response.content.decode()
    assert report_state(report) == before
    assert files_under(media) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize(
    ("name", "content_type", "content", "msgid"),
    [case for case in CASES if case.id in ("svg with a script", "decompression bomb", "over the byte limit")],
)
def test_an_import_with_a_bad_cover_is_refused_and_creates_nothing(
    client, almaly, almaly_staff, media, language, name, content_type, content, msgid
):
    from tests.reports.test_imports import SAMPLE

    client.force_login(almaly_staff)
    release = SimpleUploadedFile("release.md", SAMPLE.replace("cover: almaly.jpg\n", "").encode())
    cover = SimpleUploadedFile(name, content(), content_type=content_type)

    response = client.post(f"/{language}/reports/staff/import/", {"file": release, "unit": almaly.slug, "cover": cover})

    assert response.status_code == 400
    assert message(msgid, language) in response.content.decode()
    assert not Report.objects.exists() and not ReportEvent.objects.exists()
    assert files_under(media) == []


# --- An akim's photo, in the admin -----------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="uploads.admin", is_staff=True, is_superuser=True))
    return client


def akim_form(unit, photo) -> dict:
    return {
        "unit": unit.pk,
        "full_name_kk": "Сурет Тексеруов",
        "full_name_ru": "",
        "mandate": "appointed",
        "term_start": "2024-01-01",
        "term_end": "",
        "photo": photo,
    }


def test_a_good_akim_photo_is_saved(admin_client, almaly, media):
    photo = SimpleUploadedFile("akim.jpg", _image((600, 800)), content_type="image/jpeg")
    response = admin_client.post("/ru/admin/districts/akim/add/", akim_form(almaly, photo))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Akim.objects.get().photo.name.startswith("akims/")
    assert len(files_under(media)) == 1


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize(("name", "content_type", "content", "msgid"), CASES)
def test_a_bad_akim_photo_is_refused_and_nothing_is_written(
    admin_client, almaly, media, language, name, content_type, content, msgid
):
    photo = SimpleUploadedFile(name, content(), content_type=content_type)
    response = admin_client.post(f"/{language}/admin/districts/akim/add/", akim_form(almaly, photo))
    assert response.status_code == 200  # the admin shows the form again with its errors
    assert message(msgid, language) in response.content.decode()
    assert not Akim.objects.exists()
    assert files_under(media) == []
