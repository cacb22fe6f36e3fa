"""Markdown to sanitised HTML: python-markdown renders, nh3 keeps only safe tags and links.

The same text always gives the same HTML, so the rendering of recent texts is kept (`_html`): a COP page rebuilt
after a change shows the same decisions again, and their Markdown is not parsed once more (2–3 ms of the page).
"""
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
#: Texts longer than this are rendered every time rather than kept (a bound on the memory the cache may hold).
KEPT_LENGTH = 20_000


def render(text: str | None) -> Markup:
    """Render Markdown written by a user into HTML safe to put in any page."""
    if not text:
        return Markup("")
    # Safe (bandit B704): nh3 has removed every tag, attribute and URL scheme not allowed above.
    return Markup(_html(text) if len(text) <= KEPT_LENGTH else _html.__wrapped__(text))  # nosec B704


@lru_cache(maxsize=1024)
def _html(text: str) -> str:
    """The sanitised HTML of a text (a pure function of it)."""
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return clean
