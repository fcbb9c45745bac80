from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from districts import selectors
from districts.models import AdministrativeUnit


def home_view(request: HttpRequest) -> HttpResponse:
    """The portal's front page: the territories, top level first."""
    return render(request, "core/home.html", {"units": selectors.units_top_level()})


def territory_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "districts/territory_list.html", {"units": selectors.units_top_level()})


def territory_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        unit = selectors.unit_detail(slug=slug)
    except AdministrativeUnit.DoesNotExist:
        raise Http404 from None
    context = {
        "unit": unit,
        "akim": unit.current_akims[0] if unit.current_akims else None,
        "ancestors": selectors.unit_ancestors(unit=unit),
        "children": selectors.unit_children(unit=unit),
        "departments": unit.departments.all(),
    }
    return render(request, "districts/territory_detail.html", context)
