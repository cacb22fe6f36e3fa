"""Every form that posts carries a CSRF token (the suite runs with CSRF off, so this guards the templates)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
POSTS = re.compile(r"""method=["']post["']""", re.I)


def test_every_posting_form_has_a_csrf_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in FORM.finditer(text):
            opening = match.group(0)[: match.group(0).index(">") + 1]
            if POSTS.search(opening) and not re.search(r"csrf_token|hidden_tag", match.group(1)):
                missing.append(f"{path.relative_to(TEMPLATES)}: {opening[:80]}")
    assert not missing, "forms posting without a CSRF token:\n" + "\n".join(missing)
