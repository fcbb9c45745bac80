"""Limits on what residents send: questions per address and per contact (one rule for the form
and the API), supports per address and per contact, new confirmation codes per question.

The tokens are taken atomically before the write (core.ratelimit) and given back when the
service refuses the input, so only what was sent counts: a typo costs nothing, and a refused
submission sends no message to anyone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core import ratelimit as core_ratelimit
from core.phones import normalize_kz_phone

TOO_MANY = _("Too many questions from you in the last hour. Please try again later.")
TOO_MANY_SUPPORTS = _("Too many supports from you in the last hour. Please try again later.")
TOO_MANY_CODES = _("Too many new codes for this question in the last hour. Please try again later.")


def client_ip(request: HttpRequest) -> str:
    return core_ratelimit.client_ip(request)


def _contact_key(contact: str) -> str:
    """One key per person whatever the spelling: +7 701 234 56 78 and 87012345678 are one phone."""
    contact = (contact or "").strip().lower()
    if contact and "@" not in contact:
        try:
            return normalize_kz_phone(contact)
        except ValidationError:
            pass
    return contact


def limits(*, ip: str, contacts: list[str], scope: str = "questions") -> list[core_ratelimit.Limit]:
    window = settings.QUESTIONS_RATE_LIMIT_WINDOW
    found = [core_ratelimit.Limit(f"{scope}-ip", ip, settings.QUESTIONS_RATE_LIMIT_PER_IP, window)] if ip else []
    keys = dict.fromkeys(_contact_key(c) for c in contacts if c)
    per_contact = settings.QUESTIONS_RATE_LIMIT_PER_CONTACT
    found += [core_ratelimit.Limit(f"{scope}-contact", key, per_contact, window) for key in keys]
    return found


def submission_tokens(*, ip: str, contacts: list[str]):
    """A token per address and per contact for one question (RateLimitExceeded: 429)."""
    return core_ratelimit.holding(limits(ip=ip, contacts=contacts), TOO_MANY)


def support_tokens(*, ip: str, contact: str):
    """A token per address and per contact for one support by contact (each sends a link)."""
    return core_ratelimit.holding(limits(ip=ip, contacts=[contact], scope="supports"), TOO_MANY_SUPPORTS)


def new_code_token(*, question_token: str):
    """A token per question for one new confirmation code (each sends a message)."""
    limit = core_ratelimit.Limit("questions-new-code", question_token, settings.QUESTIONS_NEW_CODES_PER_HOUR, 3600)
    return core_ratelimit.holding([limit], TOO_MANY_CODES)
