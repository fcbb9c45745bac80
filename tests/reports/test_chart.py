"""The outcomes chart is drawn inside its own box, whatever the labels' language, so it can scale
to any column without cutting a label off."""

from django.template.loader import render_to_string

from reports.templatetags.reports import BAR_AREA, CHART_WIDTH, bar_chart

ROWS = [
    ("spot", "answered on the spot", 12),
    ("resolved", "перенаправлено в другой орган", 1234),
    ("open", "әлі ашық", 0),
]


def test_labels_start_inside_the_drawing_and_counts_fit_after_the_longest_bar():
    chart = bar_chart(ROWS, "Questions by outcome", "outcomes-chart")
    assert chart["total_width"] == CHART_WIDTH
    longest = max(chart["bars"], key=lambda bar: bar["width"])
    assert longest["width"] == BAR_AREA
    # A count of five digits (about 45 units at 14 px) still ends inside the viewBox.
    assert longest["value_x"] + 45 <= CHART_WIDTH
    assert [bar["label_y"] < bar["y"] < bar["text_y"] for bar in chart["bars"]] == [True] * 3
    assert chart["bars"][2]["width"] == 0 and chart["height"] == 3 * (chart["bars"][1]["y"] - chart["bars"][0]["y"])


def test_every_label_is_drawn_from_the_left_edge_without_a_right_anchor():
    html = render_to_string("reports/_bar_chart.html", bar_chart(ROWS, "Questions by outcome", "outcomes-chart"))
    assert 'viewBox="0 0 360 132"' in html
    assert html.count('<text class="bar-label" x="0"') == 3
    assert "text-anchor" not in html
