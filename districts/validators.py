from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_kato(value: str) -> None:
    """KATO, the official classifier of territories: exactly nine digits, AB CD EF HIJ."""
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("A KATO code is exactly 9 digits, for example 751110000; “%(value)s” is not."),
            code="invalid_kato",
            params={"value": value},
        )
