import io

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from reports.models import Report, ReportEvent
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db

SAMPLE = """---
title: Алмалы ауданының әкімі тұрғындармен кездесті
preview: Кездесуге 250-ден астам тұрғын келді.
date: 2025-03-14
cover: almaly.jpg
---
Алмалы ауданының әкімі тұрғындармен кездесіп, **жыл қорытындысы** бойынша есеп берді.

### Жолдар
Биыл 12 көше жөнделеді.

## Аким Алмалинского района встретился с жителями
Аким Алмалинского района отчитался перед жителями об итогах года.

В этом году отремонтируют 12 улиц.

Автор: Пресс-служба акимата Алмалинского района
"""


def write(tmp_path, text=SAMPLE, *, cover=True):
    path = tmp_path / "release.md"
    path.write_text(text, encoding="utf-8")
    if cover:
        buffer = io.BytesIO()
        Image.new("RGB", (1280, 720), (10, 90, 140)).save(buffer, format="JPEG")
        (tmp_path / "almaly.jpg").write_bytes(buffer.getvalue())
    return path


def test_a_press_release_becomes_a_draft_with_both_languages(tmp_path, almaly):
    call_command("import_report", str(write(tmp_path)), territory="almaty-almaly", stdout=io.StringIO())

    report = Report.objects.get()
    assert report.status == Report.Status.DRAFT and report.unit == almaly
    assert report.title_kk == "Алмалы ауданының әкімі тұрғындармен кездесті"
    assert report.lead_kk == "Кездесуге 250-ден астам тұрғын келді."
    assert report.body_kk.startswith("Алмалы ауданының әкімі") and "### Жолдар" in report.body_kk
    assert report.title_ru == "Аким Алмалинского района встретился с жителями"
    assert report.lead_ru == "Аким Алмалинского района отчитался перед жителями об итогах года."
    assert report.body_ru.endswith("отремонтируют 12 улиц.")
    assert "Автор" not in report.body_ru
    assert report.author_name == "Пресс-служба акимата Алмалинского района"
    assert str(report.period_start) == "2025-03-14"
    assert report.cover and report.cover_small and report.cover_alt_ru == report.title_ru
    assert list(report.events.values_list("kind", flat=True)) == ["imported"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Жай мәтін\n\n## Заголовок\nТекст", "өрістерден басталуы"),  # messages follow the active language (kk)
        ("---\ntitle: [broken\n---\nМәтін\n\n## Заголовок\nТекст", "YAML"),
        ("---\npreview: Жоқ\ndate: 2025-03-14\n---\nМәтін\n\n## Заголовок\nТекст", "title"),
        ("---\ntitle: Тақырып\ndate: 14 March\n---\nМәтін\n\n## Заголовок\nТекст", "2025-03-14"),
        ("---\ntitle: Тақырып\ndate: 2025-03-14\n---\nТек қазақша мәтін.", "Орысша бөлім жоқ"),
        ("---\ntitle: Тақырып\ndate: 2025-03-14\n---\n\n## Заголовок\nТекст", "Қазақша мәтін бос"),
    ],
)
def test_a_malformed_file_gets_a_clear_error_and_changes_nothing(tmp_path, almaly, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_report", str(write(tmp_path, text, cover=False)), territory="almaty-almaly")
    assert not Report.objects.exists()


def test_a_missing_cover_or_territory_changes_nothing(tmp_path, almaly):
    path = write(tmp_path, cover=False)
    with pytest.raises(CommandError, match=r"almaly\.jpg"):
        call_command("import_report", str(path), territory="almaty-almaly")
    with pytest.raises(CommandError, match="territory:"):
        call_command("import_report", str(write(tmp_path)))
    assert not Report.objects.exists()


def test_the_command_speaks_the_language_it_is_given(tmp_path, almaly):
    with pytest.raises(CommandError, match="Нет русской части"):
        call_command("import_report", str(write(tmp_path, SAMPLE.split("## ")[0], cover=False)), language="ru")
    with pytest.raises(CommandError, match="Файл должен начинаться"):
        call_command("import_report", str(write(tmp_path, "нет полей", cover=False)), language="ru")
    assert not Report.objects.exists()


def test_a_published_report_is_never_overwritten(tmp_path, almaly, almaly_staff):
    published = make_report(almaly, almaly_staff, title_kk="Бұрынғы есеп")
    with pytest.raises(CommandError, match="жарияланған"):
        call_command("import_report", str(write(tmp_path)), territory="almaty-almaly", slug=published.slug)
    published.refresh_from_db()
    assert published.title_kk == "Бұрынғы есеп" and not published.cover
    assert not ReportEvent.objects.filter(kind="imported").exists()


def test_importing_again_updates_the_draft_with_the_same_address(tmp_path, almaly):
    path = write(tmp_path)
    call_command("import_report", str(path), territory="almaty-almaly", slug="almaly-2025-03", stdout=io.StringIO())
    call_command("import_report", str(path), territory="almaty-almaly", slug="almaly-2025-03", stdout=io.StringIO())
    report = Report.objects.get()
    assert report.events.filter(kind="imported").count() == 2


def test_importing_the_same_file_again_updates_its_draft_instead_of_making_another(tmp_path, almaly):
    path = write(tmp_path)
    for _ in range(3):
        call_command("import_report", str(path), territory="almaty-almaly", stdout=io.StringIO())
    report = Report.objects.get()  # not "-2", "-3"
    assert report.events.filter(kind="imported").count() == 3
    assert not report.slug.endswith(("-2", "-3"))


# --- The staff page: the same service, the same behaviour -------------------------------------------


def upload(text: str = SAMPLE, name: str = "release.md"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode())


def cover_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), (10, 90, 140)).save(buffer, format="JPEG")
    return SimpleUploadedFile("almaly.jpg", buffer.getvalue(), content_type="image/jpeg")


IMPORT_PAGE = "/ru/reports/staff/import/"


def test_staff_import_a_release_in_the_workspace(client, tmp_path, almaly, almaly_staff):
    client.force_login(almaly_staff)
    response = client.post(IMPORT_PAGE, {"file": upload(), "unit": "almaty-almaly", "cover": cover_upload()})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.title_ru == "Аким Алмалинского района встретился с жителями"
    assert report.cover and report.author == almaly_staff
    response = client.post(IMPORT_PAGE, {"file": upload("нет полей"), "unit": "almaty-almaly"})
    assert response.status_code == 400 and "Файл должен начинаться с полей" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_missing_cover_is_the_same_error_on_the_page_as_on_the_command_line(client, tmp_path, almaly, almaly_staff):
    client.force_login(almaly_staff)
    response = client.post(IMPORT_PAGE, {"file": upload(), "unit": "almaty-almaly"})
    assert response.status_code == 400
    assert "almaly.jpg" in response.content.decode() and "обложку" in response.content.decode()
    with pytest.raises(CommandError, match=r"обложку «almaly\.jpg»"):
        call_command("import_report", str(write(tmp_path, cover=False)), territory="almaty-almaly", language="ru")
    assert not Report.objects.exists()


def test_the_page_and_the_command_update_one_draft_for_one_file(client, tmp_path, almaly, almaly_staff):
    client.force_login(almaly_staff)
    for _ in range(2):
        response = client.post(IMPORT_PAGE, {"file": upload(), "unit": "almaty-almaly", "cover": cover_upload()})
        assert response.status_code == 302
    call_command("import_report", str(write(tmp_path)), territory="almaty-almaly", stdout=io.StringIO())
    report = Report.objects.get()
    assert report.events.filter(kind="imported").count() == 3


def test_a_published_import_is_never_overwritten_from_the_page(client, almaly, almaly_staff):
    from reports.services import report_publish

    client.force_login(almaly_staff)
    client.post(IMPORT_PAGE, {"file": upload(), "unit": "almaty-almaly", "cover": cover_upload()})
    report = report_publish(report=Report.objects.get(), actor=almaly_staff)
    edited = SAMPLE.replace("12 көше", "15 көше")
    response = client.post(IMPORT_PAGE, {"file": upload(edited), "unit": "almaty-almaly", "cover": cover_upload()})
    assert response.status_code == 302  # another file: a new draft beside the published report
    response = client.post(IMPORT_PAGE, {"file": upload(), "unit": "almaty-almaly", "cover": cover_upload()})
    assert response.status_code == 400 and "опубликован" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED and "12 көше" in report.body_kk
    assert Report.objects.count() == 2
