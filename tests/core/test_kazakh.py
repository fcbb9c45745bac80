"""Kazakh parts of a whole take the ending of the number as it is read: "8 ауданның 3-еуі"."""

import pytest
from django.utils import translation

from core.kazakh import kazakh_part, part


@pytest.mark.parametrize(
    ("count", "written"),
    [
        (1, "1-еуі"),  # біреуі
        (3, "3-еуі"),  # үшеуі
        (6, "6-уы"),  # алтауы
        (7, "7-еуі"),  # жетеуі
        (8, "8-і"),  # сегізі
        (9, "9-ы"),  # тоғызы
        (10, "10-ы"),  # оны
        (12, "12-сі"),  # он екісі
        (16, "16-сы"),  # он алтысы
        (20, "20-сы"),  # жиырмасы
        (40, "40-ы"),  # қырқы
        (50, "50-і"),  # елуі
        (100, "100-і"),  # жүзі
        (2000, "2000-ы"),  # екі мыңы
    ],
)
def test_the_part_takes_the_ending_of_its_last_word(count, written):
    assert kazakh_part(count) == written


def test_only_kazakh_writes_the_ending():
    with translation.override("kk"):
        assert part(3) == "3-еуі"
    with translation.override("ru"):
        assert part(3) == "3"
