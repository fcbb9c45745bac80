import copy
from decimal import Decimal

from django import template
from django.urls import translate_url
from django.utils import formats
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


@register.filter(is_safe=True)
def number(value, decimal_places=None) -> str:
    """A count or amount in the page's language: 3200 → "3 200", 4.5 → "4,5" (config/formats).

    Integers and years are left alone elsewhere (USE_THOUSAND_SEPARATOR is off, so "2026" never
    becomes "2 026"): use this filter where a figure may reach the thousands.
    """
    if value is None or value == "":
        return ""
    return formats.number_format(value, decimal_places, use_l10n=True, force_grouping=True)


@register.filter(is_safe=True)
def tenge(value) -> str:
    """Money: 9820000 → "9 820 000 ₸", 1250.5 → "1 250,50 ₸"; no amount → "—"."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral() else 2
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True) + "\u00a0₸"


@register.filter
def user_content(value) -> str:
    """What a person typed or a person's name, marked as such (`data-user-content`): it is shown
    as written, in whatever language, and the site-wide language test leaves it out. Safe to pass
    into {% blocktranslate with … %}, which does not escape it again."""
    return format_html("<span data-user-content>{}</span>", value)


@register.filter
def form_ids(form, key) -> object:
    """The same form with its own element ids (`id_<key>_<field>`), for a page that repeats one
    form (a booking form per reception slot): ids and the labels and aria-describedby that point
    at them stay unique. The field names, and so what is posted, do not change."""
    form = copy.copy(form)
    form.auto_id = f"id_{key}_%s"
    form._bound_fields_cache = {}
    return form


@register.filter
def render_masked(text: str) -> str:
    """A public copy for the reader: "[IIN hidden]" and the like in the page's language."""
    return _render_masked(str(text) if text is not None else "")
