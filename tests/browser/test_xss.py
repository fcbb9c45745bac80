"""In a real browser, the payloads of tests/xss.py stay text: they are visible on the page, none
became an element or an attribute that runs (script, onerror, onload, javascript: links), and
no dialog opens.

The CSP would block an injected inline script or handler even if one got through, so a dialog
alone proves little; the page fixture (tests/browser/conftest.py) also fails the test on any CSP
violation, which is exactly what such an injection causes.
"""

import pytest
from django.test import override_settings

from tests import xss

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_and_question_pages_full_of_payloads_open_no_dialog(live_server, page, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        world = xss.build_world()
        payloads = xss.fill_with_payloads()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    report = world.objects["report"]
    answered = world.questions["planned"]  # answered; its answer is public
    title = payloads.numbers[("reports.Report", "title_ru")]
    # Public pages show the public copies (core/masking.py), which got payloads of their own.
    text = payloads.numbers[("questions.Question", "text_public")]

    for path, number in [
        (f"/ru/reports/{report.slug}/", title),
        (f"/kk/reports/{report.slug}/", payloads.numbers[("reports.Report", "body_kk")]),
        (f"/ru/questions/{answered.pk}/", text),
        (f"/kk/questions/{answered.pk}/", payloads.numbers[("questions.Question", "answer_public")]),
        (f"/ru/meetings/{world.upcoming.pk}/", payloads.numbers[("meetings.Meeting", "description_ru")]),
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        # The payload is on the page, as text a reader can see.
        assert xss.marker_seen(number, page.locator("main").inner_text()), path
        # Nothing the payloads carry became an element.
        assert page.locator("main script, main img[onerror], main svg[onload], main iframe").count() == 0, path
        assert page.locator('main a[href^="javascript:" i]').count() == 0, path

    # Markdown links to javascript: lost their href; the text stayed.
    page.goto(f"{live_server.url}/ru/reports/{report.slug}/")
    body_ru = payloads.numbers[("reports.Report", "body_ru")]
    assert page.get_by_text(f"link-{body_ru}").count() >= 1
    assert dialogs == []
