from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.templatetags.kezdesu import tenge

register = template.Library()
register.filter("tenge", tenge)  # money is formatted in core, with the other numbers

# The bar chart's drawing units. Each row is a label above its bar, so a long label in either
# language has the whole width and nothing is drawn outside the viewBox; the drawing scales to
# its column (about 1:1 on a 360 px phone).
CHART_WIDTH = 360
BAR_AREA = 300  # the longest bar; its count is written after it
ROW_HEIGHT = 44


@register.inclusion_tag("reports/_rate.html")
def rate(value, marked: bool = False) -> dict:
    """A percentage with its base, and a warning when the base is a handful of cases.

    `marked`: a table column of shares says the warning once, below the table
    (`few_cases_note`), and marks each such cell with an asterisk (screen readers still hear it
    per cell)."""
    return {"rate": value, "marked": marked}


@register.inclusion_tag("reports/_few_cases_note.html")
def few_cases_note(rows, attribute: str) -> dict:
    """The note under a table whose `attribute` shares are `marked`, when any of them is few."""
    rates = (row[attribute] if isinstance(row, dict) else getattr(row, attribute) for row in rows)
    return {"shown": any(rate.few for rate in rates), "minimum": settings.REPORTS_MIN_CASES_FOR_RATE}


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
        top = index * ROW_HEIGHT
        bars.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "label_y": top + 14,
                "y": top + 20,
                "text_y": top + 33,
                "width": max(width, 1 if count else 0),
                "value_x": width + 6,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "total_width": CHART_WIDTH,
        "no_data": _("No data yet."),
    }
