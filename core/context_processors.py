from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The main navigation. An entry whose page does not exist yet is left out, so the menu never
# links to a 404 while later parts of the portal are being built.
NAVIGATION = [
    ("meetings:upcoming", _("Meetings")),
    ("questions:list", _("Questions")),
    ("reports:list", _("Reports")),
    ("districts:list", _("Territories")),
]


def site(request: HttpRequest) -> dict:
    items = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {
        "navigation": items,
        "SITE_URL": settings.SITE_URL,
    }
