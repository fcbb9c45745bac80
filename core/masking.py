"""Personal data in text that will be published: found once, when the text is written, and
replaced by a marker that says what was there, never what it was.

`mask_personal_data(text)` makes the public copy: each IIN or BIN, phone number and email
address becomes one private-use character (a marker per kind). The copy is stored beside the
original by the service that writes the original, and everything public — pages, search
documents and trigram indexes, similar-question hints, feeds, open data, the API, emails to
anyone but the author — reads the copy only, so a search cannot match what a page hides.
`render_masked(text)` turns the markers into "[IIN hidden]" / "[ЖСН жасырылған]" /
"[ИИН скрыт]" in the reader's language; templates (the `render_masked` filter and the `tr`
tag), the API, feeds and exports all call it. Markers are not letters, so PostgreSQL's parser,
pg_trgm and the SQLite scan see them as spaces: no search word ever matches them.

What is found:
- IINs and BINs: 12 digits with a valid check digit (core/iin.py) and a month in digits 3–4,
  written whole or in equal groups with spaces, dashes or dots (850715 304274, 8507-1530-4274,
  850715.304274).
- Phone numbers: Kazakhstan and Russian numbers with 8, 7 or +7 and ten digits (mobiles and
  landlines with 3- or 4-digit area codes, any spacing, dashes, dots or brackets), the ten
  digits alone (701 234 5678, (7172) 55-66-77), local numbers written 255-66-77, and `+`
  followed by 8 to 15 digits (+996 555 123 456, +998 90 123 45 67).
- Email addresses, also written with spaces around @ and the dots, or with at / (at) /
  собака and dot / точка / нүкте instead of them (aigerim собака mail точка ru).
What stays: years and dates, times, money (9 820 000 ₸, 700 млн — a number in thousands
groups, or followed by a currency or a multiplier, is never a phone), KATO codes (9 digits),
percentages, counts and 12-digit numbers whose check digit is wrong (contracts, cadastres).
A label a reader saw ("[ИИН скрыт]", pasted back by an editor) becomes its marker again, so
masking a masked or rendered text changes nothing.

Where the public copies live (decided field by field; a field not listed is never public):
- questions.Question.text → text_public; answer_text → answer_public (staff quote residents:
  "we called you at …"); forwarded_to → forwarded_to_public (the body's name, shown on the
  public page, written freely by staff).
- questions.QuestionEvent.note → note_public: public timelines show the notes of extensions
  (the reason), forwards, reopenings (the author's comment) and the audit page shows them all.
- questions.Question.extension_reason and feedback: public only through their events' notes
  (note_public), never on their own; reject_note: only the author and staff see it (rejected
  questions are not public). author_name, contacts, full_name, postal_address and iin are
  never public; staff see the contacts, IIN, full name and address after an audited "show".
- reports.Report title, lead, body and cover_alt (kk and ru): masked in place when written
  (reports.services). A report is public by nature: staff write it for everyone to read, so
  no reader is owed an unmasked original, and the editor sees exactly what readers see (its
  markers shown as labels in the form, turned back into markers when saved).
- meetings (titles, descriptions, cancel reasons, event notes) and action items: staff words
  about meetings and works, not about residents; kept as written. Registrations and reception
  bookings (names, contacts, topics) are never public.
"""

import re
from collections.abc import Callable, Iterator
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.iin import is_valid_iin

IIN, PHONE, EMAIL = "iin", "phone", "email"
MARKERS = {IIN: "\ue101", PHONE: "\ue102", EMAIL: "\ue103"}
LABELS = {IIN: _("[IIN hidden]"), PHONE: _("[phone hidden]"), EMAIL: _("[email hidden]")}
_KIND_OF_MARKER = {marker: kind for kind, marker in MARKERS.items()}
_ANY_MARKER = re.compile("[" + "".join(MARKERS.values()) + "]")

# --- Emails ------------------------------------------------------------------------------------

_SPACE = r"[ \t\u00a0]"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT_WORD = r"(?:at|собака|собачка)"
_DOT_WORD = r"(?:dot|точка|нүкте)"


def _separator(sign: str, word: str) -> str:
    """@ or ., with spaces around, or the word in brackets, or the word between spaces."""
    bracketed = rf"{_SPACE}*{_OPEN}{_SPACE}*{word}{_SPACE}*{_CLOSE}{_SPACE}*"
    return rf"(?:{_SPACE}*{sign}{_SPACE}*|{bracketed}|{_SPACE}+{word}{_SPACE}+)"


_AT, _DOT = _separator("@", _AT_WORD), _separator(r"\.", _DOT_WORD)
# Written loosely, an address needs a known top-level domain to be told from a sentence.
_TLD = r"(?:kz|ru|com|org|net|kg|uz|tj|by|ua|su|info|biz|io|me|edu|gov|рф|қаз)"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LOOSE_EMAIL = re.compile(rf"[\w+-]++(?:\.[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*?{_DOT}{_TLD}(?![\w-])", re.IGNORECASE)
# A quick look for an @ or an at-word: most texts have neither, and skip the costly patterns.
_AT_ANYWHERE = re.compile(rf"@|{_OPEN}{_SPACE}*{_AT_WORD}|{_SPACE}{_AT_WORD}{_SPACE}", re.IGNORECASE)

# --- Numbers -----------------------------------------------------------------------------------

_GROUP = re.compile(r"[0-9]+")
_FEWEST_DIGITS = 7  # the shortest number masked: a local phone, 255-66-77
_SPACES = " \u00a0\u2009\u202f"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_GAP = re.compile(rf"[{_SPACES}]{{0,2}}[{_DASHES}.()]?[{_SPACES}]{{0,2}}\(?")
# A number followed by one of these is an amount, a share or a count, never personal data.
_AMOUNT_AFTER = re.compile(
    rf"[{_SPACES}]*(?:₸|₽|\$|€|%|тг\b|тнг|тенге|теңге|тиын|kzt|руб|сом|сум|млн|млрд|трлн|мың|тыс|процент|пайыз)",
    re.IGNORECASE,
)


class _Group:
    __slots__ = ("digits", "end", "gap", "start")

    def __init__(self, match: re.Match, gap: str):
        self.digits, self.start, self.end, self.gap = match.group(), match.start(), match.end(), gap


def _runs(text: str) -> Iterator[list[_Group]]:
    """Digit groups joined by what people put between the parts of one number: a space or two,
    one dash or dot, brackets. A comma, a letter or a line break ends the run."""
    run: list[_Group] = []
    previous_end = None
    for match in _GROUP.finditer(text):
        gap = text[previous_end : match.start()] if previous_end is not None else ""
        if run and not (len(gap) <= 5 and _GAP.fullmatch(gap)):
            yield run
            run = []
        run.append(_Group(match, gap if run else ""))
        previous_end = match.end()
    if run:
        yield run


def _is_date(groups: list[_Group]) -> bool:
    """Day, month and a four-digit year (15.07.2025, 2025-07-15) somewhere in the groups."""
    for i in range(len(groups) - 2):
        a, b, c = (g.digits for g in groups[i : i + 3])
        day_first = len(c) == 4 and c[:2] in ("19", "20") and len(a) <= 2 and len(b) <= 2
        if day_first and 1 <= int(a) <= 31 and 1 <= int(b) <= 12:
            return True
        year_first = len(a) == 4 and a[:2] in ("19", "20") and len(b) <= 2 and len(c) <= 2
        if year_first and 1 <= int(b) <= 12 and 1 <= int(c) <= 31:
            return True
    return False


def _in_thousands(groups: list[_Group]) -> bool:
    """9 820 000 or 1.250.000: how amounts and counts are written, never phones."""
    if len(groups) < 2 or not 1 <= len(groups[0].digits) <= 3:
        return False
    gaps = {g.gap for g in groups[1:]}
    return all(len(g.digits) == 3 for g in groups[1:]) and len(gaps) == 1 and gaps <= {*_SPACES, "."}


def _kind(text: str, groups: list[_Group], plus: bool) -> str | None:
    digits = "".join(g.digits for g in groups)
    size = len(digits)
    if _AMOUNT_AFTER.match(text, groups[-1].end):
        return None
    if plus:
        return PHONE if 8 <= size <= 15 else None
    if _is_date(groups):
        return None
    lengths = {len(g.digits) for g in groups}
    if size == 12 and len(lengths) == 1 and is_valid_iin(digits) and 1 <= int(digits[2:4]) <= 12:
        return IIN
    if _in_thousands(groups):
        return None
    if size == 11 and digits[0] in "78":  # 8 or 7, then Kazakhstan's 7xx or Russia's 9xx…
        return PHONE
    if size == 10 and digits[0] in "79":  # the ten digits without the country code
        return PHONE
    if (digits.startswith("00") and 10 <= size <= 17) or (digits.startswith("810") and 13 <= size <= 17):
        return PHONE  # international prefixes: 00 and Kazakhstan's old 8~10
    if [len(g.digits) for g in groups] == [3, 2, 2] and {g.gap for g in groups[1:]} <= {"-", " "}:
        return PHONE  # a local number: 255-66-77
    return None


def _plus_before(text: str, start: int) -> int | None:
    """Where a "+" (and an opening bracket) right before a number starts, if there is one."""
    i = start
    while i > 0 and text[i - 1] in "(" + _SPACES and start - i < 3:
        i -= 1
    if i > 0 and text[i - 1] == "+":
        return i - 1
    return None


def _first_number(text: str, run: list[_Group], i: int) -> tuple[int, int, str, int] | None:
    """The longest number that starts at group `i`: (start, end, kind, the group after it)."""
    plus_at = _plus_before(text, run[i].start) if i == 0 else None
    for j in range(len(run), i, -1):
        if sum(len(group.digits) for group in run[i:j]) < _FEWEST_DIGITS:
            return None
        kind = _kind(text, run[i:j], plus_at is not None)
        if kind is not None:
            start, end = (plus_at if plus_at is not None else run[i].start), run[j - 1].end
            if plus_at is None and text[start - 1 : start] == "(":
                start -= 1
            if text[end : end + 1] == ")" and text.count("(", start, end) > text.count(")", start, end):
                end += 1
            return start, end, kind, j
    return None


def _mask_numbers(text: str) -> str:
    spans: list[tuple[int, int, str]] = []
    for run in _runs(text):
        if sum(len(group.digits) for group in run) < _FEWEST_DIGITS:
            continue  # a house number, a count, a year
        i = 0
        while i < len(run):
            span = _first_number(text, run, i)
            if span is None:
                i += 1
                continue
            start, end, kind, i = span
            spans.append((start, end, kind))
    for start, end, kind in reversed(spans):
        text = text[:start] + MARKERS[kind] + text[end:]
    return text


# --- Labels ------------------------------------------------------------------------------------


@cache
def _labels() -> tuple[re.Pattern, dict[str, str]]:
    """Every label in every language (and the English source): a rendered text masks back."""
    kinds: dict[str, str] = {}
    for language in ["en", *(code for code, _name in settings.LANGUAGES)]:
        with translation.override(language):
            for kind, label in LABELS.items():
                kinds[str(label).lower()] = kind
    alternatives = sorted(kinds, key=len, reverse=True)
    return re.compile("|".join(re.escape(label) for label in alternatives), re.IGNORECASE), kinds


def _labels_to_markers(text: str) -> str:
    pattern, kinds = _labels()
    return pattern.sub(lambda m: MARKERS[kinds[m.group().lower()]], text)


# --- The two functions -------------------------------------------------------------------------


def mask_personal_data(text: str) -> str:
    """The public copy of `text`: personal data replaced by markers (see the module docstring)."""
    if not text:
        return text or ""
    if "[" in text:
        text = _labels_to_markers(text)
    if _AT_ANYWHERE.search(text):
        text = _LOOSE_EMAIL.sub(MARKERS[EMAIL], _EMAIL.sub(MARKERS[EMAIL], text))
    return _mask_numbers(text)


def render_masked(text: str, *, escape: Callable[[str], str] | None = None) -> str:
    """A public copy for the reader: each marker becomes its label in the active language
    (passed through `escape` when the text is already HTML)."""
    if not text or not _ANY_MARKER.search(text):
        return text or ""
    escape = escape or str
    return _ANY_MARKER.sub(lambda m: escape(str(LABELS[_KIND_OF_MARKER[m.group()]])), text)


def has_markers(text: str) -> bool:
    return bool(text) and _ANY_MARKER.search(text) is not None
