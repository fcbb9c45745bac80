from django import template
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.masking import render_masked as _render_masked

register = template.Library()

OTHER_LANGUAGE = {"kk": "ru", "ru": "kk"}
SHOWN_IN = {"kk": _("shown in Kazakh"), "ru": _("shown in Russian")}


@register.simple_tag(takes_context=True)
def translated_path(context, language: str) -> str:
    """The current page in another language (keeps the query string)."""
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def tr(obj, field: str):
    """A translated content field, marked with its language when it falls back to the other one.

    modeltranslation already falls back kk↔ru; this tag also tells the reader (and screen
    readers, through lang=) that the text is not in the page's language. Masked personal data
    (a report's text is masked when written) reads as "[phone hidden]" in the page's language.
    """
    language = (get_language() or "kk")[:2]
    own = getattr(obj, f"{field}_{language}", None)
    if own:
        return _render_masked(own)
    other = OTHER_LANGUAGE.get(language, "ru")
    fallback = getattr(obj, f"{field}_{other}", None)
    if not fallback:
        return ""
    return format_html(
        '<span lang="{}">{}</span> <small class="fallback-mark">({})</small>',
        other,
        _render_masked(fallback),
        SHOWN_IN[other],
    )


@register.filter
def render_masked(text: str) -> str:
    """A public copy for the reader: "[IIN hidden]" and the like in the page's language."""
    return _render_masked(str(text) if text is not None else "")
