"""Reading the akimats' existing press releases into reports.

The format (one Markdown file per release, UTF-8):

    ---
    title: Алмалы ауданының әкімі тұрғындармен кездесті     (the Kazakh title, required)
    preview: Кездесуге 250-ден астам тұрғын келді.          (the Kazakh lead, optional)
    date: 2025-03-14                                         (required; 14.03.2025 also works)
    cover: covers/almaly.jpg                                 (optional, relative to the file)
    territory: almaty-almaly                                 (optional; else --territory)
    ---
    The Kazakh text, in Markdown.

    ## Аким Алмалинского района встретился с жителями      (the Russian title)
    The Russian text, in Markdown; its first paragraph becomes the Russian lead.

    Автор: Пресс-служба акимата Алмалинского района          (optional, the last line)

The first level-2 heading starts the Russian part, so the Kazakh text must not use `## `
itself (its subheadings can be `### `).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reports.rendering import markdown_to_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_RUSSIAN_HEADING = re.compile(r"^##[ \t]+(?P<title>\S.*?)[ \t#]*$", re.MULTILINE)
_AUTHOR = re.compile(r"^\s*(?:Автор(?:ы)?|Author)\s*[:：—–-]\s*(?P<name>\S.{0,198}?)\s*$", re.IGNORECASE)
LEAD_MAX = 1000


@dataclass
class ImportedDocument:
    title_kk: str
    lead_kk: str
    body_kk: str
    title_ru: str
    lead_ru: str
    body_ru: str
    date: date
    cover: str = ""
    territory: str = ""
    slug: str = ""
    author_name: str = ""
    source_name: str = ""


def _fail(message) -> ValidationError:
    return ValidationError(message, code="invalid_import")


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _fail(_("The date “%(value)s” is not a date: write it as 2025-03-14.") % {"value": text})


def _text_field(meta: dict, key: str, *, required: bool = False, limit: int = 300) -> str:
    value = meta.get(key)
    if value is None:
        if required:
            raise _fail(_("The front matter has no “%(key)s”.") % {"key": key})
        return ""
    if not isinstance(value, (str, int, float)):
        raise _fail(_("“%(key)s” in the front matter must be text.") % {"key": key})
    value = str(value).strip()
    if required and not value:
        raise _fail(_("The front matter has no “%(key)s”.") % {"key": key})
    if len(value) > limit:
        raise _fail(_("“%(key)s” is longer than %(max)d characters.") % {"key": key, "max": limit})
    return value


def _first_paragraph(markdown_text: str) -> str:
    for block in re.split(r"\n\s*\n", markdown_text.strip()):
        text = markdown_to_text(block).strip()
        if text and not block.lstrip().startswith("#"):
            return text[:LEAD_MAX]
    return ""


def decode(raw: bytes) -> str:
    if len(raw) > settings.REPORTS_IMPORT_MAX_BYTES:
        raise _fail(_("The file is too large for a press release."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(_("The file is not UTF-8 text.")) from None


def parse_press_release(text: str, *, source_name: str = "") -> ImportedDocument:
    """The document, or a ValidationError that says what is wrong with the file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise _fail(_("The file must start with front matter: a line “---”, the fields, and another “---”."))
    try:
        meta = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else "?"
        raise _fail(_("The front matter is not valid YAML (line %(line)s).") % {"line": line}) from None
    if not isinstance(meta, dict):
        raise _fail(_("The front matter must be a list of fields such as “title: …”."))
    title_kk = _text_field(meta, "title", required=True)
    lead_kk = _text_field(meta, "preview", limit=LEAD_MAX)
    if "date" not in meta:
        raise _fail(_("The front matter has no “%(key)s”.") % {"key": "date"})
    day = _parse_date(meta["date"])
    cover = _text_field(meta, "cover")
    territory = _text_field(meta, "territory", limit=100)
    slug = _text_field(meta, "slug", limit=120)

    rest = text[match.end() :]
    heading = _RUSSIAN_HEADING.search(rest)
    if heading is None:
        raise _fail(_("There is no Russian part: start it with a level-2 heading (“## ” and the Russian title)."))
    body_kk = rest[: heading.start()].strip()
    title_ru = heading["title"].strip()
    lines = rest[heading.end() :].strip().split("\n")
    author_name = ""
    if lines and (author := _AUTHOR.match(lines[-1])):
        author_name = author["name"].strip()
        lines = lines[:-1]
    body_ru = "\n".join(lines).strip()
    if not body_kk:
        raise _fail(_("The Kazakh text is empty."))
    if not body_ru:
        raise _fail(_("The Russian text is empty."))
    if len(title_ru) > 300:
        raise _fail(_("The Russian title is longer than %(max)d characters.") % {"max": 300})
    return ImportedDocument(
        title_kk=title_kk,
        lead_kk=lead_kk,
        body_kk=body_kk,
        title_ru=title_ru,
        lead_ru=_first_paragraph(body_ru),
        body_ru=body_ru,
        date=day,
        cover=cover,
        territory=territory,
        slug=slug,
        author_name=author_name,
        source_name=source_name,
    )
