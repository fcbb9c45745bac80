"""Every write of Open311: keys issued and revoked, and a posted service request, which becomes a
question through the very service the web form and the API call (questions.services)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import ratelimit as core_ratelimit
from core.errors import ApplicationError
from districts.models import AdministrativeUnit
from open311.models import ApiKey, Submission
from questions import ratelimit as question_limits
from questions import services as question_services
from questions.models import Category

TOO_MANY_FOR_KEY = _("Too many service requests with this api_key in the last hour. Please try again later.")
KEY_WINDOW = 3600


def key_digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, api_key: ApiKey) -> str:
    """Give an unsaved key (its owner and limit filled in) a new secret and save it. The secret
    is returned once, to be shown once: only its hash is kept."""
    if api_key.pk is not None:
        raise ApplicationError(_("A key is issued once; issue a new key instead."))
    raw_key = secrets.token_urlsafe(32)
    api_key.prefix = raw_key[:8]
    api_key.key_hash = key_digest(raw_key)
    api_key.is_active, api_key.revoked_at = True, None
    api_key.full_clean()
    api_key.save()
    return raw_key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Stop a key for good (a revoked key is never active again: issue a new one)."""
    locked = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if locked.is_active:
        locked.is_active, locked.revoked_at = False, timezone.now()
        locked.save(update_fields=["is_active", "revoked_at"])
    api_key.is_active, api_key.revoked_at = locked.is_active, locked.revoked_at
    return api_key


def service_request_post(
    *,
    api_key: ApiKey,
    unit: AdministrativeUnit,
    category: Category,
    description: str,
    language: str,
    author_name: str,
    email: str = "",
    phone: str = "",
) -> Submission:
    """A service request becomes a question awaiting its author's confirmation, with the same
    validation, masking, limits and confirmation message as the form.

    The limits: the key's own (per hour) and the form's per contact. Not the form's per
    address: an integrator's server speaks for many residents from one address, and the key,
    not the address, is its identity. Tokens are taken before the write and given back when
    the input is refused (core.ratelimit.holding).
    """
    key_limit = core_ratelimit.Limit("open311-key", str(api_key.pk), api_key.requests_per_hour, KEY_WINDOW)
    with core_ratelimit.holding([key_limit], TOO_MANY_FOR_KEY):
        contact_limits = question_limits.limits(ip="", contacts=[email, phone])
        with core_ratelimit.holding(contact_limits, question_limits.TOO_MANY):
            return _submit(
                api_key=api_key,
                unit=unit,
                category=category,
                description=description,
                language=language,
                author_name=author_name,
                email=email,
                phone=phone,
            )


@transaction.atomic
def _submit(*, api_key: ApiKey, unit, category, description, language, author_name, email, phone) -> Submission:
    question = question_services.question_submit(
        unit=unit,
        category=category,
        text=description,
        language=language,
        author_name=author_name,
        contact_email=email,
        contact_phone=phone,
    )
    return Submission.objects.create(question=question, api_key=api_key, token=secrets.token_urlsafe(24))
