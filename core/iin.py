"""Kazakhstan's individual identification number (IIN, ЖСН / ИИН).

12 digits: YYMMDD, a digit for century and sex, a 4-digit serial and a check digit. The check
digit is the weighted sum of the first 11 digits mod 11 with weights 1..11; when that gives
10 the weights 3..11, 1, 2 are tried; when that gives 10 again the number is invalid.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no check digit is possible."""
    digits = [int(c) for c in first_eleven]
    check = sum(d * w for d, w in zip(digits, _FIRST_WEIGHTS, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _SECOND_WEIGHTS, strict=True)) % 11
        if check == 10:
            return None
    return check


def is_valid_iin(value: str) -> bool:
    if not (isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()):
        return False
    check = iin_check_digit(value[:11])
    return check is not None and check == int(value[11])


def validate_iin(value: str) -> None:
    if not is_valid_iin(value):
        raise ValidationError(_("Enter a valid IIN: 12 digits with a correct check digit."), code="invalid_iin")
