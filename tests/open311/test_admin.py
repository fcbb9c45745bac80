"""Keys are issued and revoked in the Django admin: the key is shown once, only its hash is kept."""

import re

from django.urls import reverse

from open311.models import ApiKey
from open311.services import key_digest


def test_the_administrator_issues_a_key_shown_once_and_stored_as_a_hash(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:open311_apikey_add"), {"owner": "Civic app", "requests_per_hour": 30}, follow=True
    )
    assert response.status_code == 200
    shown = "\n".join(str(m) for m in response.context["messages"])
    assert "Civic app" in shown
    raw_key = re.search(r"(?<![\w-])([A-Za-z0-9_-]{43})(?![\w-])", shown).group(1)  # token_urlsafe(32)
    key = ApiKey.objects.get()
    assert key.key_hash == key_digest(raw_key) and raw_key not in key.key_hash
    assert key.prefix == raw_key[:8] and key.is_active and key.requests_per_hour == 30
    # Never again: the change page and the list show the prefix only.
    for url in (reverse("admin:open311_apikey_change", args=[key.pk]), reverse("admin:open311_apikey_changelist")):
        page = client.get(url).content.decode()
        assert key.prefix in page and raw_key not in page


def test_the_administrator_revokes_keys_and_cannot_delete_them(client, administrator):
    from open311 import services

    key = ApiKey(owner="Old app")
    services.api_key_issue(api_key=key)
    client.force_login(administrator)
    changelist = reverse("admin:open311_apikey_changelist")
    response = client.post(changelist, {"action": "revoke", "_selected_action": [key.pk]}, follow=True)
    assert response.status_code == 200
    key.refresh_from_db()
    assert not key.is_active and key.revoked_at is not None
    assert client.post(reverse("admin:open311_apikey_delete", args=[key.pk])).status_code == 403


def test_only_the_administrator_opens_the_keys(client, almaly_staff):
    client.force_login(almaly_staff)
    response = client.get(reverse("admin:open311_apikey_changelist"))
    assert response.status_code in (302, 403)
