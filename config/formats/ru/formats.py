"""Russian dates (settings.FORMAT_MODULE_PATH), replacing Django's ru formats ("7 декабря 2026 г.
17:00", "9:05") so that both languages share one convention (config/formats/shared): the month
in the genitive after the day, a comma before the time, two-digit hours.
"""

from config.formats.shared import *  # noqa: F403

DATE_FORMAT = "j E Y"  # 7 декабря 2026
DATETIME_FORMAT = "j E Y, H:i"  # 7 декабря 2026, 17:00
YEAR_MONTH_FORMAT = "F Y"  # Декабрь 2026
MONTH_DAY_FORMAT = "j E"  # 7 декабря
