"""Kazakh numbers written with digits that take a suffix, as Kazakh texts write them.

"Three of the eight districts" is "8 ауданның 3-еуі": the part takes the collective numeral's
possessive ending (үшеуі → 3-еуі) up to seven, and the numeral's own possessive ending after
that ("20 ауданның 8-і", сегізі). The ending follows the last word of the number as it is read
(12 → он екі → 12-сі). A translation cannot hold this choice, so the code hands the finished
form to the message as its placeholder.
"""

from django.utils.translation import get_language

# біреуі, екеуі, үшеуі, төртеуі, бесеуі, алтауы, жетеуі
_COLLECTIVE = {1: "еуі", 2: "еуі", 3: "еуі", 4: "еуі", 5: "еуі", 6: "уы", 7: "еуі"}
# бірі, екісі, үші, төрті, бесі, алтысы, жетісі, сегізі, тоғызы
_UNITS = {1: "і", 2: "сі", 3: "і", 4: "і", 5: "і", 6: "сы", 7: "сі", 8: "і", 9: "ы"}
# оны, жиырмасы, отызы, қырқы, елуі, алпысы, жетпісі, сексені, тоқсаны
_TENS = {1: "ы", 2: "сы", 3: "ы", 4: "ы", 5: "і", 6: "ы", 7: "і", 8: "і", 9: "ы"}


def kazakh_part(count: int) -> str:
    """The part of a whole, with its ending: 3 → "3-еуі", 8 → "8-і", 40 → "40-ы", 100 → "100-і"."""
    if count in _COLLECTIVE:
        ending = _COLLECTIVE[count]
    elif count % 10:
        ending = _UNITS[count % 10]
    elif count % 100:
        ending = _TENS[count // 10 % 10]
    elif count % 1000:
        ending = "і"  # жүзі
    else:
        ending = "ы"  # мыңы
    return f"{count}-{ending}"


def part(count: int) -> str:
    """The part as the active language writes it in "N of M": "3-еуі" in Kazakh, "3" otherwise."""
    return kazakh_part(count) if (get_language() or "kk")[:2] == "kk" else str(count)
