"""Is every word a person reads in the page's language? The checker behind tests/core/test_language.py.

`visible_text(html)` gives what a reader sees or hears of a page: text, the title, button values,
alt, title, aria-label and placeholder attributes. It leaves out what is not ours to translate:
elements marked `data-user-content` (what people typed, people's names), elements that declare
another language with `lang` (the language switcher, a title shown in the other language with
its "shown in Russian" mark), form values (<textarea>) and <code> (machine identifiers such as
column names, a sample file).

`wrong_words(text, language)` then finds, word by word:

- English: a Latin-letter word from a list of everyday English words (a sentence of English
  always has some); acronyms (SMS, CSV, ISO), the brand (Kezdesu) and Latin proper names
  (Almaty Arena) pass;
- on a Russian page, Kazakh: a word with a letter Russian does not have (ә ғ қ ң ө ұ ү һ і) or a
  common Kazakh word written without one (бойынша, немесе, кездесу…);
- on a Kazakh page, Russian: a common Russian word Kazakh does not use (и, для, встреча…) or a
  Russian inflection (-ого, -ский, -ение…).
"""

import re
from html.parser import HTMLParser


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = _words(
    """
    a about above account action actions add added after again all already also an and answer answered
    any are as ask asked at attended available back be because been before below both but by can cancel
    cancelled change changed check choose click close closed code confirm contact could create created
    date day days delete department description did do does done down due edit email empty enter error
    every field fields filter find first for found from get give go has have help here hide his home how
    if in into is it its item items just last left less list log login logout made make many may meeting
    meetings message messages minutes more must my name new next no none not nothing now of off old on
    once one only open optional or other our out over page pages password people phone please plan
    previous question questions read received report reports required reset resident residents result
    results save search see seat seats select send sent set should show sign since site so some staff
    status submit such than that the their them then there these they this those time to today too
    try two under until up upcoming us use user username very view want was we were what when where
    which who why will with within without would yes yet you your true false null undefined
    """
)
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
KAZAKH_WORDS = _words(
    """
    және мен немесе бойынша туралы үшін кездесу кездесулер кездесуі кездесуге кездесуде есеп есебі есептер
    ауданы облысы жылы жылғы беру берілді алдында бірге тағы жоқ болса керек емес
    """
)
RUSSIAN_WORDS = _words(
    """
    и в во на что чтобы для по от или это этот эта эти как при из к ко с со об за до после все
    всё вся весь вы вас вам ваш ваше ваша ваши если уже ещё еще только также тоже нет был была было
    были будет будут можно нужно есть его её их он она они мы нас наш где когда кто чем так же ли бы
    через между без под над перед вопрос вопросы вопроса вопросов встреча встречи встреч отчёт отчет
    отчёты жители жителей житель района области города страница назад далее показать поиск войти
    выйти пароль сохранить отправить дата время место мест срок ответ ответа ответы управление новый
    принят решён решено сотрудник задать вход год года день дня дней часов
    """
)
# Not listed although Russian, because Kazakh writes them too: не (what), да/де (also), о (that),
# минут, форум, бюджет, статус, план.
RUSSIAN_ENDINGS = re.compile(
    r"(?:ого|его|ому|ему|ыми|ими|ться|тся|ание|ение|ости|ский|ская|ское|ских|цкий|ённый|енный|анный)$"
)
# Words any page may hold: the brand in both scripts and the languages' own names (a language
# is offered under its own name: "Қазақша" on a Russian page, "Русский" on a Kazakh one).
ALLOWED = frozenset({"kezdesu", "n", "кездесу", "қазақша", "русский"})
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Addresses, usernames and file names are not words of a language: almaty.staff, a@b.kz, /kk/…
IDENTIFIER = re.compile(r"\S*(?:[@/_]|://|\w\.\w)\S*")

BLOCK_TAGS = _words(
    "address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr legend li main nav ol option p section summary table tbody "
    "td tfoot th thead title tr ul label select textarea button"
)
VOID_TAGS = _words("area base br col embed hr img input link meta source track wbr")
# A <textarea> holds what someone typed (or will): a form value, not the page's words.
SKIPPED_TAGS = frozenset({"script", "style", "code", "template", "noscript", "textarea"})
SPOKEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class _Extractor(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.chunks: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def _break(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.chunks.append(text)
        self.current = []

    def _attributes(self, tag: str, attrs: dict) -> None:
        if self.skipping:
            return
        spoken = [attrs.get(name) for name in SPOKEN_ATTRIBUTES]
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            spoken.append(attrs.get("value"))
        if tag == "meta" and attrs.get("name") == "description":
            spoken.append(attrs.get("content"))
        self.chunks.extend(" ".join(text.split()) for text in spoken if text and text.strip())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        declared = (attrs.get("lang") or self.language)[:2]
        skipped = tag in SKIPPED_TAGS or "data-user-content" in attrs or declared != self.language
        if tag in BLOCK_TAGS:
            self._break()
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipped))
        if not skipped:
            self._attributes(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()
        # Close up to the matching tag (HTML lets some end tags be left out).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def close(self):
        super().close()
        self._break()


def visible_text(html: str, language: str) -> list[str]:
    """The page's text a reader meets, one chunk per block, in document order."""
    extractor = _Extractor(language)
    extractor.feed(html)
    extractor.close()
    return extractor.chunks


def wrong_words(text: str, language: str) -> list[str]:
    """Words of `text` that are English or of the other language (for a page in `language`)."""
    found = []
    for word in WORD.findall(IDENTIFIER.sub(" ", text)):
        lower = word.lower()
        if lower in ALLOWED and (lower != "кездесу" or word == "Кездесу"):
            continue
        if re.fullmatch(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*", word):
            if lower in ENGLISH:
                found.append(word)
            continue
        if _other_language(word, lower, language):
            found.append(word)
    return found


def _other_language(word: str, lower: str, language: str) -> bool:
    if language == "ru":
        return bool(KAZAKH_LETTERS.search(word)) or lower in KAZAKH_WORDS
    return lower in RUSSIAN_WORDS or (len(lower) > 4 and bool(RUSSIAN_ENDINGS.search(lower)))


def problems_in(chunks: list[str], language: str) -> list[str]:
    """One line per chunk with a wrong word: "«word, word» in: chunk"."""
    problems = []
    for chunk in chunks:
        words = wrong_words(chunk, language)
        if words:
            problems.append(f"«{', '.join(dict.fromkeys(words))}» in: {chunk[:160]}")
    return problems
