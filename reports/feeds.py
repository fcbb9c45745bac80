"""Atom feeds of published reports: everything, or one territory's subtree."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.masking import render_masked
from districts.models import AdministrativeUnit
from reports import selectors
from reports.models import Report
from reports.rendering import markdown_to_text


class ReportFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Kezdesu"

    def get_object(self, request, slug: str | None = None) -> AdministrativeUnit | None:
        if slug is None:
            return None
        return get_object_or_404(AdministrativeUnit, slug=slug)

    def title(self, unit: AdministrativeUnit | None) -> str:
        if unit is None:
            return _("Kezdesu: reports of akims' meetings")
        return _("Kezdesu: reports, %(place)s") % {"place": unit.name}

    def subtitle(self, unit: AdministrativeUnit | None) -> str:
        return _("Published reports of akims' meetings with residents.")

    def link(self, unit: AdministrativeUnit | None) -> str:
        url = reverse("reports:list")
        return f"{url}?territory={unit.slug}" if unit else url

    def feed_url(self, unit: AdministrativeUnit | None) -> str:
        return reverse("reports:feed-territory", kwargs={"slug": unit.slug}) if unit else reverse("reports:feed")

    def items(self, unit: AdministrativeUnit | None):
        return selectors.reports_for_feed(unit=unit)

    def item_title(self, report: Report) -> str:
        return render_masked(report.title)

    def item_description(self, report: Report) -> str:
        # Atom1Feed writes <summary type="html">, which feed readers parse as HTML: the plain
        # text is escaped, so a "<script>" typed into a lead arrives as text, never as a tag.
        return escape(render_masked(report.lead) or markdown_to_text(report.body)[:500])

    def item_link(self, report: Report) -> str:
        return report.get_absolute_url()

    def item_guid(self, report: Report) -> str:
        return f"{settings.SITE_URL}/reports/{report.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, report: Report):
        return report.published_at

    def item_updateddate(self, report: Report):
        return max(report.updated_at, report.published_at)

    def item_author_name(self, report: Report) -> str:
        return report.author_name or _("Akimat press service")

    def item_categories(self, report: Report):
        return [report.unit.name]
