"""French words of the negotiation's codes, and the Jinja helpers of its pages."""
import uuid

from flask import render_template
from markupsafe import Markup, escape

from cop.negotiation import bp
from cop.negotiation.texts.diff import html, word_diff
from cop.negotiation.texts.queries import panel_context
from cop.negotiation.services import BRACKET
from cop.negotiation.votes.tally import public_ballots

PARAGRAPH_STATUS = {"bracketed": "En négociation", "agreed_ad_ref": "Agréé ad referendum", "adopted": "Adopté",
                    "deleted": "Supprimé"}
AMENDMENT_STATE = {"tabled": "Déposé", "taken_up": "En discussion", "integrated": "Intégré",
                   "bracketed": "Mis entre crochets", "set_aside": "Écarté", "withdrawn": "Retiré"}
AMENDMENT_KIND = {"replace": "Remplacement", "insert_after": "Insertion après le paragraphe", "delete": "Suppression"}
WINDOW_STATE = {"open": "Délai d’objection en cours", "adopted": "Adopté", "blocked": "Bloqué par une objection",
                "cancelled": "Proposition retirée"}
OBJECTION_STATE = {"standing": "Maintenue", "withdrawn": "Retirée", "overruled": "Rejetée par la présidence"}
CHOICE = {"yes": "Pour", "no": "Contre", "abstain": "Abstention"}
DECISION_MODE = {"consensus": "Par consensus", "vote": "Par un vote", "taken_note": "La présidence en prend acte"}
WEIGHTING = {"one_party_one_vote": "Une partie, une voix", "double_majority": "Double majorité (parties et population)"}


@bp.app_template_global()
def negotiation_label(kind: str, code) -> str:
    """The French word of a code: negotiation_label("amendment_state", "tabled") → "Déposé"."""
    table = {"paragraph_status": PARAGRAPH_STATUS, "amendment_state": AMENDMENT_STATE,
             "amendment_kind": AMENDMENT_KIND, "window_state": WINDOW_STATE, "objection_state": OBJECTION_STATE,
             "choice": CHOICE, "decision_mode": DECISION_MODE, "weighting": WEIGHTING}[kind]
    return table.get(code, code or "—")


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


bp.add_app_template_global(public_ballots, "public_ballots")


@bp.app_template_global()
def negotiation_panel(meeting, mode: str) -> Markup:
    """The negotiation panel of a live page, rendered in place."""
    # Safe (bandit B704): render_template's output is escaped by Jinja's autoescape; Markup avoids a double escape.
    panel = render_template("negotiation/_panel_body.html", mode=mode, command_id=uuid.uuid4().hex,
                            **panel_context(meeting))
    return Markup(panel)  # nosec B704
