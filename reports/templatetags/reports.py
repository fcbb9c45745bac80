from django import template
from django.utils.translation import gettext_lazy as _

from core.templatetags.kezdesu import tenge

register = template.Library()
register.filter("tenge", tenge)  # money is formatted in core, with the other numbers

BAR_AREA = 240  # SVG units for the longest bar
ROW_HEIGHT = 30
LABEL_WIDTH = 150


@register.inclusion_tag("reports/_rate.html")
def rate(value) -> dict:
    """A percentage with its base, and a warning when the base is a handful of cases."""
    return {"rate": value}


@register.inclusion_tag("reports/_bar_chart.html")
def bar_chart(rows, title, chart_id) -> dict:
    """A horizontal bar chart drawn on the server as SVG: no script, readable when printed.

    `rows` are (key, label, count) tuples; the page shows the same numbers as a table.
    """
    rows = list(rows)
    largest = max((count for _key, _label, count in rows), default=0) or 1
    bars = []
    for index, (key, label, count) in enumerate(rows):
        width = round(BAR_AREA * count / largest)
        bars.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "y": index * ROW_HEIGHT,
                "text_y": index * ROW_HEIGHT + 19,
                "width": max(width, 1 if count else 0),
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "total_width": LABEL_WIDTH + BAR_AREA + 60,
        "label_x": LABEL_WIDTH - 6,
        "no_data": _("No data yet."),
    }
