"""Draft texts: prepared by the presidency, edited and resolved by the chair, one new version per change."""
import re
from datetime import datetime

from cop.auth.models import User
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid
from cop.meetings.models import AgendaItem, Meeting
from cop.negotiation.texts.models import Draft, DraftVersion, Paragraph
from cop.negotiation.limits import MAX_DRAFT, MAX_TITLE
from cop.negotiation.services import (BRACKET, check_fresh, check_not_deciding, clean_text, draft_of, has_brackets,
                                      record, require_chair, snapshot)
from cop.permissions import can_prepare_draft

SETTABLE_STATUSES = ("bracketed", "agreed_ad_ref")
MAX_PARAGRAPHS = 200


def split_paragraphs(body: str) -> list[str]:
    """Markdown split on blank lines: one numbered paragraph each."""
    return [part.strip() for part in re.split(r"\n\s*\n", body) if part.strip()]


def options(text: str) -> list[list[str]]:
    """The bracketed groups of a paragraph, each with its options ("[a]" alone: keep it or drop it)."""
    groups = []
    for match in BRACKET.finditer(text):
        choices = [part.strip() for part in match.group(1).split(" / ")]
        groups.append(choices if len(choices) > 1 else [choices[0], ""])
    return groups


def create_draft(user: User, meeting: Meeting, item: AgendaItem, title, body, now: datetime) -> Draft:
    """The presidency gives an agenda item its draft text (version 1)."""
    if not can_prepare_draft(user, meeting):
        raise Forbidden("Seules la présidence, le secrétariat et la présidence de séance préparent les textes.")
    if meeting.state == "closed" or meeting.conference.phase == "closed":
        raise Conflict("La séance (ou la COP) est close : ses textes ne changent plus.")
    if draft_of(item) is not None:
        raise Conflict("Ce point porte déjà un projet de texte.")
    title = clean_text(title, "Le titre", limit=MAX_TITLE)
    parts = split_paragraphs(clean_text(body, "Le texte", limit=MAX_DRAFT))
    if len(parts) > MAX_PARAGRAPHS:
        raise Invalid(
            "Un projet de texte compte au plus %(n)s paragraphes.",
            n=MAX_PARAGRAPHS)
    draft = Draft(agenda_item_id=item.id, title=title, created_by_id=user.id, created_dt=now)
    db.session.add(draft)
    db.session.flush()
    for position, text in enumerate(parts, start=1):
        db.session.add(Paragraph(draft_id=draft.id, position=position * 10, number=position, text=text))
    db.session.flush()
    db.session.refresh(draft)
    snapshot(draft, user, now, "Projet de texte déposé par la présidence")
    record("draft.created", draft, user, meeting, item=item.id, paragraphs=len(parts))
    return draft


def _change(user: User, meeting: Meeting, paragraph: Paragraph, version) -> None:
    """Common guards of the chair's edits: chair, open meeting, text not under decision, fresh version."""
    require_chair(user, meeting)
    if paragraph.status == "adopted":
        raise Conflict("Le § %(number)s est adopté : il ne change plus.", number=paragraph.number)
    check_not_deciding(paragraph.draft.agenda_item)
    check_fresh(paragraph, version)


def edit_paragraph(user: User, meeting: Meeting, paragraph: Paragraph, version, text, now: datetime) -> DraftVersion:
    """The chair rewrites a paragraph (a compromise text); it is under negotiation again."""
    _change(user, meeting, paragraph, version)
    text = clean_text(text, "Le texte du paragraphe")
    if text == paragraph.text:
        raise Invalid("Le texte proposé est identique au texte actuel.")
    paragraph.text, paragraph.status, paragraph.version = text, "bracketed", paragraph.version + 1
    return snapshot(paragraph.draft, user, now, f"§ {paragraph.number} reformulé par la présidence")


def resolve_option(user: User, meeting: Meeting, paragraph: Paragraph, version, group, choice,
                   now: datetime) -> DraftVersion:
    """The chair keeps one option of a bracketed group; the brackets go."""
    _change(user, meeting, paragraph, version)
    groups = options(paragraph.text)
    if not isinstance(group, int) or not 0 <= group < len(groups):
        raise Invalid("Ce groupe de crochets n’existe pas dans le paragraphe.")
    if not isinstance(choice, int) or not 0 <= choice < len(groups[group]):
        raise Invalid("Cette option n’existe pas dans ce groupe de crochets.")
    matches = list(BRACKET.finditer(paragraph.text))
    target = matches[group]
    kept = groups[group][choice]
    text = paragraph.text[:target.start()] + kept + paragraph.text[target.end():]
    paragraph.text = re.sub(r"[ \t]{2,}", " ", text).strip() or "—"
    paragraph.version += 1
    label = f"« {kept} »" if kept else "la suppression"
    return snapshot(paragraph.draft, user, now, f"§ {paragraph.number} : la présidence retient {label}")


def set_status(user: User, meeting: Meeting, paragraph: Paragraph, version, status, now: datetime) -> DraftVersion:
    """The chair marks a paragraph agreed ad referendum, or puts it back under negotiation."""
    _change(user, meeting, paragraph, version)
    if status not in SETTABLE_STATUSES:
        raise Invalid("Statut inconnu : « entre crochets » ou « agréé ad referendum ».")
    if status == paragraph.status:
        raise Conflict("Le paragraphe a déjà ce statut.")
    if status == "agreed_ad_ref" and has_brackets(paragraph.text):
        raise Conflict(
            "Le § %(number)s contient encore des crochets : résolvez-les avant de l’agréer.",
            number=paragraph.number)
    paragraph.status, paragraph.version = status, paragraph.version + 1
    words = "agréé ad referendum" if status == "agreed_ad_ref" else "remis en négociation"
    return snapshot(paragraph.draft, user, now, f"§ {paragraph.number} {words}")
