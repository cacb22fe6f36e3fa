"""Words of the negotiation's codes (French, translated for the reader), and the Jinja helpers of its pages."""
import uuid

from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from cop.labels import VOTE_WEIGHTING_LABELS
from cop.negotiation import bp
from cop.negotiation.texts.diff import html, word_diff
from cop.negotiation.texts.queries import panel_context
from cop.negotiation.services import BRACKET
from cop.negotiation.votes.tally import public_ballots

PARAGRAPH_STATUS = {
    "bracketed": _l("En négociation"),
    "agreed_ad_ref": _l("Agréé ad referendum"),
    "adopted": _l("Adopté"),
    "deleted": _l("Supprimé"),
}
AMENDMENT_STATE = {
    "tabled": _l("Déposé"),
    "taken_up": _l("En discussion"),
    "integrated": _l("Intégré"),
    "bracketed": _l("Mis entre crochets"),
    "set_aside": _l("Écarté"),
    "withdrawn": _l("Retiré"),
}
AMENDMENT_KIND = {
    "replace": _l("Remplacement"),
    "insert_after": _l("Insertion après le paragraphe"),
    "delete": _l("Suppression"),
}
WINDOW_STATE = {
    "open": _l("Délai d’objection en cours"),
    "adopted": _l("Adopté"),
    "blocked": _l("Bloqué par une objection"),
    "cancelled": _l("Proposition retirée"),
}
OBJECTION_STATE = {
    "standing": _l("Maintenue"),
    "withdrawn": _l("Retirée"),
    "overruled": _l("Rejetée par la présidence"),
}
CHOICE = {
    "yes": _l("Pour"),
    "no": _l("Contre"),
    "abstain": _l("Abstention"),
}
DECISION_MODE = {
    "consensus": _l("Par consensus"),
    "vote": _l("Par un vote"),
    "taken_note": _l("La présidence en prend acte"),
}
WEIGHTING = VOTE_WEIGHTING_LABELS


@bp.app_template_global()
def negotiation_label(kind: str, code) -> str:
    """The French word of a code: negotiation_label("amendment_state", "tabled") → "Déposé"."""
    table = {"paragraph_status": PARAGRAPH_STATUS, "amendment_state": AMENDMENT_STATE,
             "amendment_kind": AMENDMENT_KIND, "window_state": WINDOW_STATE, "objection_state": OBJECTION_STATE,
             "choice": CHOICE, "decision_mode": DECISION_MODE, "weighting": WEIGHTING}[kind]
    return str(table.get(code, code or "—"))


@bp.app_template_filter("brackets")
def brackets(text: str) -> Markup:
    """Paragraph text, escaped, with each bracketed group marked so that it is seen (and said) as an option."""
    out, last = [], 0
    for match in BRACKET.finditer(text or ""):
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<mark class="bracket">[{}]</mark>').format(match.group(1)))
        last = match.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)


@bp.app_template_global()
def proposed_change(amendment) -> Markup:
    """An amendment shown against its paragraph's current words: deleted words in <del>, proposed ones in <ins>."""
    current = amendment.paragraph.text
    if amendment.kind == "delete":
        return html([("delete", current)])
    if amendment.kind == "insert_after":
        return html([("insert", amendment.text)])
    return html(word_diff(current, amendment.text))


@bp.app_template_global()
def amendment_diff(current: str, proposed: str, kind: str) -> Markup:
    """An amendment of the live state (JSON) against its paragraph's current words, as proposed_change() shows it."""
    if kind == "delete":
        return html([("delete", current)])
    if kind == "insert_after":
        return html([("insert", proposed)])
    return html(word_diff(current, proposed))


bp.add_app_template_global(public_ballots, "public_ballots")


@bp.app_template_global()
def negotiation_panel(meeting, mode: str) -> Markup:
    """The negotiation panel of a live page, rendered in place."""
    # Safe (bandit B704): render_template's output is escaped by Jinja's autoescape; Markup avoids a double escape.
    panel = render_template("negotiation/_panel_body.html", mode=mode, command_id=uuid.uuid4().hex,
                            **panel_context(meeting))
    return Markup(panel)  # nosec B704
