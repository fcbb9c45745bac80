"""Headers every page carries, and pages that keep to the Content Security Policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/kk/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_load_their_script_from_our_own_origin(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    sources = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert sources and all(src.startswith("/") for src in sources)
    assert not re.search(r"<script(?![^>]*src=)[^>]*>", page), "an inline script in the API docs"


TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_has_inline_script_or_event_handlers(path):
    html = path.read_text()
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "inline <script> breaks the CSP"
    assert not re.search(r"\son[a-z]+\s*=", html), "an on* attribute breaks the CSP"
