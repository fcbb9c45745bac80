"""Hide personal data in text that will be published: IINs, phone numbers and email addresses.

Only 12-digit numbers with a valid IIN check digit are masked as IINs, so a contract or
cadastral number is left alone. Phone numbers are matched in the forms people write
Kazakhstan numbers: +7 701 234 56 78, 8 (701) 234-56-78, 87012345678, 701 234 5678.
"""

import re

from django.utils.translation import gettext as _

from core.iin import is_valid_iin

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
_SEP = r"[\s\-().]*"
_PHONE = re.compile(rf"(?<![\d+])(?:(?:\+\s*7|8|7){_SEP})?\(?7\d{{2}}\)?{_SEP}\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}(?!\d)")


def mask_personal_data(text: str) -> str:
    if not text:
        return text
    iin_mask = _("[IIN hidden]")
    phone_mask = _("[phone hidden]")
    text = _EMAIL.sub(_("[email hidden]"), text)
    text = _TWELVE_DIGITS.sub(lambda m: iin_mask if is_valid_iin(m.group()) else m.group(), text)
    return _PHONE.sub(phone_mask, text)
