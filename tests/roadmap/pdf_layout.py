"""Reading a PDF's layout back (pdfplumber): text boxes that overlap, marks outside the printable area, pages."""
from dataclasses import dataclass
from io import BytesIO

import pdfplumber

#: A printer's unprintable edge, and the slack allowed between glyph boxes that merely touch (points).
PRINTABLE_MARGIN_MM = 10
TOUCH = 0.6
MM = 72 / 25.4


@dataclass
class Page:
    """What a page shows: its text, its words with their boxes, and the boxes of its lines and rectangles."""

    number: int
    width: float
    height: float
    text: str
    words: list[dict]
    graphics: list[dict]


def read(pdf: bytes) -> list[Page]:
    """Every page of the PDF, in order."""
    pages = []
    with pdfplumber.open(BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words(x_tolerance=1, y_tolerance=1, keep_blank_chars=False)
            graphics = list(page.rects) + list(page.lines)
            text = " ".join(word["text"] for word in words)
            pages.append(Page(number, float(page.width), float(page.height), text, words, graphics))
    return pages


def _overlap(a: dict, b: dict) -> bool:
    """Whether two boxes cover a common area larger than a touch."""
    return (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > TOUCH
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOUCH)


def overlapping_words(page: Page) -> list[tuple[str, str]]:
    """Pairs of words printed over each other on the page (a sweep down the page, so linear in practice)."""
    found, active = [], []
    for word in sorted(page.words, key=lambda w: w["top"]):
        active = [other for other in active if other["bottom"] - word["top"] > TOUCH]
        found += [(other["text"], word["text"]) for other in active if _overlap(other, word)]
        active.append(word)
    return found


def outside_printable_area(page: Page) -> list[str]:
    """Words, lines and rectangles that reach into the page's unprintable edge (or beyond the page)."""
    edge = PRINTABLE_MARGIN_MM * MM
    left, top, right, bottom = edge, edge, page.width - edge, page.height - edge
    return [item.get("text", item.get("object_type", "?")) for item in page.words + page.graphics
            if item["x0"] < left - TOUCH or item["x1"] > right + TOUCH
            or item["top"] < top - TOUCH or item["bottom"] > bottom + TOUCH]
