import copy
from pathlib import Path

import pytest

from notifications import kinds

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_kinds(settings):
    """A kind with its own templates, so these tests need no other app."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    kinds.register("tests.hello", "Hello")
    kinds.register("tests.code", "Code", essential=True)
    yield
    kinds._registry.pop("tests.hello", None)
    kinds._registry.pop("tests.code", None)
