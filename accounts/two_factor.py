"""Two-factor authentication (TOTP, django-otp) for staff: required for administrators,
available to every staff member, and enforced on every page once a device is confirmed."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

# Paths a half-signed-in user may still open: the 2FA pages themselves, logout, static files.
_OPEN_NAMES = ("accounts:two_factor_verify", "accounts:two_factor_setup", "logout")


def needs_setup(user) -> bool:
    return bool(settings.ADMIN_TWO_FACTOR_REQUIRED and user.is_superuser and not user_has_device(user))


def needs_verification(user) -> bool:
    return user_has_device(user) and not user.is_verified()


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: sends a signed-in user who still owes a second factor
    to the page that asks for it (an API request gets a 403 body instead)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._is_open(request.path):
            step = "setup" if needs_setup(user) else "verify" if needs_verification(user) else None
            if step is not None:
                if request.path.startswith("/api/"):
                    message = _("Finish signing in with your one-time code first.")
                    return JsonResponse({"message": str(message), "errors": {}}, status=403)
                target = reverse(f"accounts:two_factor_{step}")
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith(
            (settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,)
        ):
            return True
        return any(path == reverse(name) for name in _OPEN_NAMES)
