import pytest

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


def test_personal_data_pasted_into_a_body_is_masked():
    html = str(markdown_to_html("Байланыс: +7 701 234 56 78, aigerim@example.kz"))
    assert "701 234" not in html and "aigerim@example.kz" not in html


def test_plain_text_for_feeds_has_no_markup():
    assert markdown_to_text("**Жол** & <b>көпір</b>") == "Жол & көпір"
