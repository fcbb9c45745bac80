from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import views as accounts_views
from core import views as core_views
from districts.api import AkimViewSet, TerritoryViewSet
from reports import views as reports_views
from reports.sitemaps import SITEMAPS

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("akims", AkimViewSet, basename="akim")

# Outside the language prefix: machines, not people. The API speaks the Accept-Language.
urlpatterns = [
    path("healthz", core_views.healthz_view, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("meetings.api_urls")),
    path("api/v1/", include("questions.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("cycles.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Open311 GeoReport v2: its own formats (json, xml) and its own error list.
    path("open311/", include("open311.urls")),
]

# People's pages: /kk/… and /ru/…; "/" redirects by the Accept-Language header, then to kk.
urlpatterns += i18n_patterns(
    # The front page draws on meetings and reports; its URL keeps its name, core:home.
    path("", include(([path("", reports_views.home_view, name="home")], "core"))),
    path("territories/", include("districts.urls")),
    path("meetings/cycles/", include("cycles.urls")),
    path("meetings/", include("meetings.urls")),
    path("questions/", include("questions.urls")),
    path("reports/", include("reports.urls")),
    path("accounts/login/", accounts_views.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.bad_request_view"
handler403 = "core.views.permission_denied_view"
handler404 = "core.views.page_not_found_view"
handler500 = "core.views.server_error_view"
