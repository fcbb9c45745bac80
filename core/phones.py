"""Kazakhstan phone numbers: validate and normalise to E.164 (+7 7XX XXX XX XX)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-()]")


def normalize_kz_phone(value: str) -> str:
    """Return "+77XXXXXXXXX" or raise ValidationError.

    Kazakhstan shares country code +7 with Russia; its numbers continue with 7 (mobile 70x,
    74x, 77x; landline area codes 71x, 72x). People write 8 7XX…, +7 7XX… or 7XX….
    """
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("8") and len(digits) == 11:
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    if not (digits.isascii() and digits.isdigit() and len(digits) == 11 and digits.startswith("77")):
        raise ValidationError(_("Enter a Kazakhstan phone number, for example +7 701 234 56 78."), code="invalid_phone")
    return "+" + digits


def validate_kz_phone(value: str) -> None:
    normalize_kz_phone(value)
