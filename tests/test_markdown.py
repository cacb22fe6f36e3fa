"""Markdown written by users is rendered, and anything that could run or restyle the page is removed."""
import pytest

from cop.markdown import render


@pytest.mark.parametrize("hostile, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ("[clic](javascript:alert(1))", "javascript:"),
    ("[clic](JaVaScRiPt:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ("<img src=x onerror=alert(1)>", "onerror"),
    ('<p onclick="alert(1)">x</p>', "onclick"),
    ('<p style="position:fixed">x</p>', "style="),
    ("<style>body{display:none}</style>", "<style"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:text"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ("![x](https://evil.example/x.png)", "<img"),
])
def test_hostile_input_is_neutralised(hostile, forbidden):
    assert forbidden.lower() not in str(render(hostile)).lower()


def test_ordinary_markdown_renders():
    html = str(render("**Gras** et *italique*\n\n- un\n- deux\n\n[site](https://example.org) [écrire](mailto:a@b.fr)"))
    assert "<strong>Gras</strong>" in html and "<em>italique</em>" in html and "<li>un</li>" in html
    assert 'href="https://example.org"' in html and 'href="mailto:a@b.fr"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_input_renders_nothing():
    assert str(render(None)) == "" and str(render("")) == ""


def test_filter_is_registered(app):
    assert app.jinja_env.filters["markdown"] is render


def test_a_text_rendered_again_is_read_from_the_kept_renderings_and_stays_clean():
    from cop import markdown

    text = "Décision **adoptée** <script>alert(1)</script> [clic](javascript:alert(1))"
    first = render(text)
    hits = markdown._html.cache_info().hits
    again = render(text)
    assert again == first and markdown._html.cache_info().hits == hits + 1
    assert "<script" not in again and "javascript:" not in again and "<strong>adoptée</strong>" in again


def test_a_very_long_text_is_rendered_but_not_kept():
    from cop import markdown

    text = "*long* " * (markdown.KEPT_LENGTH // 7 + 1)
    size = markdown._html.cache_info().currsize
    html = render(text)
    assert "<em>long</em>" in html and markdown._html.cache_info().currsize == size
