"""What Kazakh and Russian pages write the same way: short dates, the 24-hour clock, numbers.

One convention for a reader who switches language; each language's formats.py adds its long
dates. Form inputs (type=date, datetime-local) keep ISO values: Django always accepts ISO 8601
besides the input formats below.
"""

TIME_FORMAT = "H:i"  # 17:00, 09:05
SHORT_DATE_FORMAT = "d.m.Y"  # 07.12.2026
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 07.12.2026 17:00
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]

DECIMAL_SEPARATOR = ","
# A narrow no-break space (U+202F), as Russian and Kazakh typography group thousands:
# 9 820 000. core.templatetags.kezdesu's `number` and `tenge` filters use it; money puts a
# no-break space before the sign: 9 820 000 ₸.
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
