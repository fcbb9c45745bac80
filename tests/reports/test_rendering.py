import pytest
from django.utils import translation

from core.masking import mask_personal_data
from reports.rendering import markdown_to_html, markdown_to_text


@pytest.mark.parametrize(
    "source",
    [
        "Сәлем <script>alert('x')</script> әлем",
        "[басыңыз](javascript:alert(1))",
        "[link](JaVaScRiPt:alert(1))",
        '<a href="#" onclick="alert(1)">link</a>',
        '<img src="x" onerror="alert(1)">',
        '<p onmouseover="alert(1)">hover</p>',
        '<iframe src="https://evil.example"></iframe>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
        "<style>body{display:none}</style>",
        '<div style="position:fixed">x</div>',
    ],
)
def test_malicious_markdown_renders_inert(source):
    html = str(markdown_to_html(source)).lower()
    for dangerous in (
        "<script",
        "javascript:",
        "onclick",
        "onerror",
        "onmouseover",
        "<iframe",
        "data:",
        "<style",
        "style=",
    ):
        assert dangerous not in html


def test_ordinary_markdown_keeps_its_structure_and_links_open_safely():
    html = str(markdown_to_html("## Қорытынды\n\n- **жол** жөнделді\n- [сайт](https://astana.gov.kz)"))
    assert "<h2>Қорытынды</h2>" in html
    assert "<strong>жол</strong>" in html
    assert 'href="https://astana.gov.kz"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_masked_personal_data_in_a_body_reads_as_labels_in_the_readers_language():
    """Reports are masked when written (reports.services); rendering writes the labels out,
    after sanitising, so a label's brackets are never read as a Markdown link."""
    body = mask_personal_data("Байланыс: +7 701 234 56 78, [aigerim@example.kz](mailto:aigerim@example.kz)")
    with translation.override("ru"):
        html = str(markdown_to_html(body))
        text = markdown_to_text(body)
    assert "701 234" not in html and "aigerim" not in html
    assert "Байланыс: [номер скрыт]" in html and "[почта скрыта]" in html
    assert text == "Байланыс: [номер скрыт], [почта скрыта]"


def test_plain_text_for_feeds_has_no_markup():
    assert markdown_to_text("**Жол** & <b>көпір</b>") == "Жол & көпір"
