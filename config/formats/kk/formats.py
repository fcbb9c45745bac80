"""Kazakh dates (settings.FORMAT_MODULE_PATH). Django ships no kk formats, so without this file
Kazakh pages got the US defaults: "Жел. 7, 2026, 5 Т.Қ.", "12/19/2026 3 Т.Қ.".

The long date is written as Kazakh official texts write it, the year first: "2026 жылғы
7 желтоқсан"; the month is the lowercase name that core/django_messages.py gives "alt. month"
(Django's kk catalogue capitalises it). The rest is shared with Russian (config/formats/shared).
"""

from config.formats.shared import *  # noqa: F403

DATE_FORMAT = "Y жылғы j E"  # 2026 жылғы 7 желтоқсан
DATETIME_FORMAT = "Y жылғы j E, H:i"  # 2026 жылғы 7 желтоқсан, 17:00
YEAR_MONTH_FORMAT = "Y жылғы E"  # 2026 жылғы желтоқсан
MONTH_DAY_FORMAT = "j E"  # 7 желтоқсан
