"""The sitemap: published reports, territory scorecards and the public lists, in kk and ru."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from districts.models import AdministrativeUnit
from reports.models import Report


class ReportSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Report.objects.published().order_by("-published_at", "pk").only("slug", "updated_at")

    def lastmod(self, report: Report):
        return report.updated_at


class ScorecardSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.SETTLEMENT).order_by("path").only("slug")

    def location(self, unit: AdministrativeUnit) -> str:
        return reverse("reports:scorecard", kwargs={"slug": unit.slug})


class PagesSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return [
            "core:home",
            "meetings:upcoming",
            "questions:list",
            "reports:list",
            "reports:plans",
            "reports:open-data",
            "districts:list",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PagesSitemap, "reports": ReportSitemap, "territories": ScorecardSitemap}
