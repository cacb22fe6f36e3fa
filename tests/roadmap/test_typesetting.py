"""The roadmap's lean user-agent stylesheet: WeasyPrint's own, markers on list items only and no note rules; a
WeasyPrint whose stylesheet no longer reads as expected is refused rather than silently laid out otherwise."""
import io
from pathlib import Path

import pdfplumber
import pytest

from cop.roadmap import typesetting


def _weasyprint_css() -> str:
    import weasyprint

    return (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")


def test_the_lean_stylesheet_drops_only_the_unused_pseudo_elements(pango):
    source = _weasyprint_css()
    lean = typesetting.lean_user_agent_css(source)
    assert "li::marker, summary::marker {" in lean and "\n::marker" not in lean
    assert "::footnote-call" not in lean and "::note-call" not in lean
    assert "br::before" in lean and "@footnote" in lean
    assert len(source.splitlines()) - len(lean.splitlines()) == len(typesetting.NOTE_RULES)


@pytest.mark.parametrize("edit", [("::marker {", "::marker{"), ("::note-call {", "::note-call{"),
                                  ("::footnote-marker {", "")])
def test_an_unexpected_weasyprint_stylesheet_is_refused(pango, edit):
    with pytest.raises(RuntimeError, match="inattendue"):
        typesetting.lean_user_agent_css(_weasyprint_css().replace(*edit, 1))


def test_a_list_in_a_decision_keeps_its_bullets(pango):
    pdf = typesetting.html("<ul><li>Première action</li></ul><ol><li>Étape</li></ol>", "/").render().write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = document.pages[0].extract_text()
    assert "•" in text and "1." in text and "Première action" in text
