"""Personal data never reaches a public page or the public API."""

import pytest
from django.utils import translation

from questions import services
from tests.questions import factories

EMAIL = "secret.author@example.kz"
PHONE_RAW = "+7 700 000 12 34"
PHONES = ["+77000001234", "+7 700 000 12 34", "8 700 000 12 34", "700 000 12 34"]
IIN = "900101300176"
NAME = "Жасырын Автор"
ADDRESS = "Алматы, Жасырын көшесі 7"


@pytest.fixture
def seeded(almaly, almaly_staff, energy_department, water):
    text = f"Менің нөмірім {PHONE_RAW}, ЖСН {IIN}, поштам {EMAIL}. Су жоқ!"
    appeal = factories.answered(
        almaly,
        almaly_staff,
        energy_department,
        text=text,
        author_name=NAME,
        contact_email=EMAIL,
        is_official_appeal=True,
        full_name=NAME,
        postal_address=ADDRESS,
        iin=IIN,
    )
    by_phone = factories.accepted(
        almaly, almaly_staff, text=text, author_name=NAME, contact_email="", contact_phone=PHONE_RAW
    )
    services.question_support(question=by_phone, contact="supporter.private@example.kz")
    return [appeal, by_phone]


def secrets_in(text: str) -> list[str]:
    return [value for value in [EMAIL, IIN, NAME, ADDRESS, "supporter.private@example.kz", *PHONES] if value in text]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_public_page_shows_a_contact_a_name_an_address_or_an_iin(client, seeded, almaly, lang):
    with translation.override(lang):
        urls = [
            f"/{lang}/questions/",
            f"/{lang}/questions/?q=Су",
            f"/{lang}/questions/territory/{almaly.slug}/",
            *[f"/{lang}/questions/{q.pk}/" for q in seeded],
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert secrets_in(response.content.decode()) == [], url


def test_no_public_api_response_carries_personal_data(client, seeded):
    urls = ["/api/v1/questions/", *[f"/api/v1/questions/{q.pk}/" for q in seeded]]
    for url in urls:
        body = client.get(url).content.decode()
        assert secrets_in(body) == [], url
        assert "contact" not in body and "iin" not in body and "postal_address" not in body


def test_the_masked_text_still_says_something_was_there(client, seeded):
    body = client.get(f"/api/v1/questions/{seeded[0].pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert "[ИИН скрыт]" in body["text"] and "[номер скрыт]" in body["text"]


def test_the_tracking_page_shows_the_author_their_own_text(client, seeded):
    html = client.get(seeded[0].get_tracking_url()).content.decode()
    assert IIN in html
    assert client.get(seeded[0].get_tracking_url())["X-Robots-Tag"] == "noindex"
