from notifications.models import Preference
from notifications.services import notification_enqueue
from tests.factories import UserFactory


def test_a_resident_chooses_channels_per_kind(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/ru/notifications/settings/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "Hello" in page and "Code" not in page  # essential kinds are not optional
    client.post("/ru/notifications/settings/", {"tests.hello:sms": "on"})
    preference = Preference.objects.get(user=user, kind="tests.hello")
    assert (preference.email, preference.sms) == (False, True)
    message = notification_enqueue(
        kind="tests.hello", language="kk", dedupe_key="x", email="a@example.kz", user=user, context={}
    )
    assert message.status == "cancelled"


def test_settings_send_residents_to_the_resident_sign_in_not_the_staff_login(client, db):
    response = client.get("/kk/notifications/settings/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/accounts/sign-in/?next=/kk/notifications/settings/"
