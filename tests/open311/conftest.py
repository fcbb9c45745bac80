import pytest

from open311 import services
from open311.models import ApiKey
from tests.questions import factories


@pytest.fixture
def water(db):
    return factories.category("water")


@pytest.fixture
def roads(db):
    return factories.category("roads")


@pytest.fixture
def api_key(db) -> tuple[ApiKey, str]:
    key = ApiKey(owner="Civic app", requests_per_hour=50)
    raw = services.api_key_issue(api_key=key)
    return key, raw


@pytest.fixture
def raw_key(api_key) -> str:
    return api_key[1]
