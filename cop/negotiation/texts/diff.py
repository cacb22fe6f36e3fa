"""Word-level comparison of texts and of draft versions, as readable HTML with <ins> and <del>."""
import difflib
import re
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup, escape

TOKEN = re.compile(r"\s+|[^\s\[\]/]+|[\[\]/]")


def tokens(text: str) -> list[str]:
    """Words, runs of white space and bracket marks, so that a diff never splits a word."""
    return TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change from old to new as ("equal" | "delete" | "insert", text) pieces."""
    a, b = tokens(old), tokens(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def html(pieces: list[tuple[str, str]]) -> Markup:
    """Pieces as escaped HTML: deleted words in <del>, inserted words in <ins>."""
    out = []
    for op, text in pieces:
        if op == "equal":
            out.append(escape(text))
        else:
            tag = "del" if op == "delete" else "ins"
            # Safe (bandit B704): the tag is one of two literals and the text is escaped inside.
            out.append(Markup(f"<{tag}>{escape(text)}</{tag}>"))  # nosec B704
    return Markup("").join(out)


def inserted_words(old: str, new: str) -> str:
    """Only the words new adds to old, joined by " … " (the provenance of an integration)."""
    return " … ".join(text.strip() for op, text in word_diff(old, new) if op == "insert" and text.strip())


@dataclass
class ParagraphChange:
    """One paragraph compared across two versions."""

    number: Optional[int]
    change: str  # "same", "changed", "added", "removed"
    html: Markup
    old_status: Optional[str]
    new_status: Optional[str]


def compare_versions(old: list[dict], new: list[dict]) -> list[ParagraphChange]:
    """Compare two version snapshots paragraph by paragraph (matched by id), in the new reading order."""
    before = {p["id"]: p for p in old}
    after_ids = {p["id"] for p in new}
    changes, anchor = [], {}
    for p in new:
        prev = before.get(p["id"])
        if prev is None:
            changes.append(ParagraphChange(p["number"], "added", html([("insert", p["text"])]), None, p["status"]))
        else:
            pieces = word_diff(prev["text"], p["text"])
            kind = "same" if all(op == "equal" for op, _ in pieces) and prev["status"] == p["status"] else "changed"
            changes.append(ParagraphChange(p["number"], kind, html(pieces), prev["status"], p["status"]))
        anchor[p["id"]] = len(changes)
    for index, p in enumerate(old):
        if p["id"] in after_ids:
            continue
        previous_ids = [q["id"] for q in old[:index] if q["id"] in anchor]
        at = anchor[previous_ids[-1]] if previous_ids else 0
        changes.insert(at, ParagraphChange(None, "removed", html([("delete", p["text"])]), p["status"], None))
        anchor = {k: (v + 1 if v >= at else v) for k, v in anchor.items()}
    return changes
