from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A flat <select> whose options are written in Python, not one template include each.

    With a few dozen to a few hundred options, Django's per-option templates were most of a
    list page's time (8 ms for 30 akims, 300 ms for 3,000 territories). Flat choices only.
    """

    def options_for(self, values):
        return self.choices

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        chosen = next(iter(values), None)
        options = []
        for option_value, label in self.options_for(values):
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value == chosen else ""
            chosen = None if selected else chosen  # only the first match, as Django's Select
            options.append(f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>')
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, attrs, mark_safe("\n".join(options)))  # noqa: S308 - escaped above
