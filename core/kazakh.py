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


# The last word of a number as it is read decides its case ending (vowel harmony, last sound).
_UNIT_WORDS = {1: "бір", 2: "екі", 3: "үш", 4: "төрт", 5: "бес", 6: "алты", 7: "жеті", 8: "сегіз", 9: "тоғыз"}
_TEN_WORDS = {
    1: "он",
    2: "жиырма",
    3: "отыз",
    4: "қырық",
    5: "елу",
    6: "алпыс",
    7: "жетпіс",
    8: "сексен",
    9: "тоқсан",
}
_BACK_VOWELS = set("аоұы")
_FRONT_VOWELS = set("әөүіеи")
_VOWELS = _BACK_VOWELS | _FRONT_VOWELS | {"у"}
_VOICELESS = set("кқпстфхшщцч")
_NASAL = set("мнң")


def _last_word(count: int) -> str:
    if count % 10:
        return _UNIT_WORDS[count % 10]
    if count % 100:
        return _TEN_WORDS[count // 10 % 10]
    if count % 1000:
        return "жүз"
    if count % 1_000_000:
        return "мың"
    return "миллион"


def _is_back(word: str) -> bool:
    last_vowel = next((letter for letter in reversed(word) if letter in _BACK_VOWELS | _FRONT_VOWELS), "е")
    return last_vowel in _BACK_VOWELS


def kazakh_case(count: int, case: str) -> str:
    """The number with its dative or ablative ending, as press releases write it:
    880 → "880-ге" (сексенге), 40 → "40-қа" (қырыққа), 3 500 → "3 500-ден" (жүзден),
    10 → "10-нан" (оннан). `case` is "dative" or "ablative"; the digits come grouped."""
    word = _last_word(count)
    back, last = _is_back(word), word[-1]
    if case == "dative":
        ending = ("қа" if back else "ке") if last in _VOICELESS else ("ға" if back else "ге")
    elif case == "ablative":
        if last in _VOICELESS:
            ending = "тан" if back else "тен"
        elif last in _NASAL:
            ending = "нан" if back else "нен"
        else:
            ending = "дан" if back else "ден"
    else:
        raise ValueError(case)
    return f"{grouped(count)}-{ending}"


def kazakh_part_dative(count: int) -> str:
    """ "To N of them": 123 → "123-іне" (үшіне), 6 → "6-уына" (алтауына), 40 → "40-ына"."""
    part_form = kazakh_part(count)
    return part_form + ("на" if "ы" in part_form.split("-")[-1] else "не")


def grouped(count: int) -> str:
    """3500 → "3 500" with a no-break space, as both languages group thousands."""
    return f"{count:,}".replace(",", "\u00a0")
