"""Markdown to safe HTML: the body of a report is written by staff or imported from press
releases, and whatever it holds (script tags, javascript: links, on* attributes) renders inert.
Its personal data was masked when it was written (reports.services): the markers become
labels in the reader's language after sanitising, so no label can be read as Markdown."""

import html

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.masking import render_masked

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "blockquote", "code",
    "pre", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "abbr", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_html(text: str) -> SafeString:
    """Markdown rendered, then sanitised: only the tags above, links only to http(s) and mail."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(render_masked(cleaned, escape=escape))  # noqa: S308 - sanitised, labels escaped


def markdown_to_text(text: str) -> str:
    """Plain text for feeds' summaries and search snippets."""
    return render_masked(html.unescape(nh3.clean(markdown.markdown(text or ""), tags=set())).strip())
