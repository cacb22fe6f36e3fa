"""WeasyPrint as the roadmap's PDF uses it: a user-agent stylesheet without the rules the document never needs,
and the cyclic garbage collector paused during a layout."""
import gc
from contextlib import contextmanager
from functools import cache
from pathlib import Path

#: WeasyPrint's user-agent stylesheet gives every element ::marker, ::footnote-* and ::note-* styles; each
#: element with such a cascaded style gets a computed style of its own per pseudo-element (six per element, about
#: 50,000 for the largest region), unused: the roadmap has no footnotes or notes, and only list items have markers.
MARKER_RULE = ("::marker {", "li::marker, summary::marker {")
NOTE_RULES = ("::footnote-call", "::footnote-marker", "::note-call", "::note-marker", "::note-callback")


def lean_user_agent_css(source: str) -> str:
    """WeasyPrint's user-agent stylesheet with markers on list items only and no note rules; an error if its text
    is no longer the one edited (a WeasyPrint upgrade must be looked at, not silently lose a rule or the gain)."""
    lines = source.splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(tuple(f"{rule} {{" for rule in NOTE_RULES))]
    if len(lines) - len(kept) != len(NOTE_RULES) or sum(line.startswith(MARKER_RULE[0]) for line in kept) != 1:
        raise RuntimeError("Feuille de style de WeasyPrint inattendue : revoir cop/roadmap/typesetting.py.")
    return "".join(MARKER_RULE[1] + line[len(MARKER_RULE[0]):] if line.startswith(MARKER_RULE[0]) else line
                   for line in kept)


@cache
def _lean_stylesheet():
    """The lean user-agent stylesheet, parsed once per process."""
    import weasyprint

    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    return weasyprint.CSS(string=lean_user_agent_css(source))


@cache
def _lean_html():
    """WeasyPrint's HTML whose user-agent stylesheet is the lean one (the roadmap lays out no form)."""
    from weasyprint import HTML

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):  # WeasyPrint's own hook; its version is pinned in requirements.txt
            return [_lean_stylesheet()]

    return LeanHTML


def html(string: str, base_url: str):
    """The roadmap's HTML, ready for WeasyPrint to lay out."""
    return _lean_html()(string=string, base_url=base_url)


@contextmanager
def no_cycle_collection():
    """Pause the cyclic garbage collector: a layout allocates millions of objects and its collections would cost
    a third of the time; reference counting still frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
