"""The route list the site-wide sweeps walk: complete, and every path resolves to its route."""

import pytest
from django.core.management import call_command
from django.urls import resolve
from django.utils import translation

from tests.demo_routes import LANGUAGES, complete_demo, demo_routes


@pytest.fixture
def routes(db):
    call_command("seed_demo", verbosity=0)
    return demo_routes(complete_demo())


def test_every_route_with_arguments_gets_demo_arguments_that_resolve_to_it(routes):
    assert len(routes) > 100
    for route in routes:
        for language in LANGUAGES if route.is_i18n else ("kk",):
            for path in route.paths(language):
                with translation.override(language):
                    assert resolve(path).view_name == route.name, path
                if route.is_i18n:
                    assert path.startswith(f"/{language}/"), path


def test_the_list_sorts_routes_by_audience(routes):
    by_name = {route.name: route for route in routes}
    assert by_name["core:home"].audience == "public"
    assert by_name["questions:staff"].audience == "staff"
    assert by_name["accounts:audit"].audience == "admin"
    assert by_name["api-question-list"].is_api
    assert by_name["reports:feed"].audience == "machine"
    assert not by_name["reports:export"].is_html_page
    assert by_name["meetings:detail"].is_html_page
    assert by_name["questions:confirm"].writes_on_get
