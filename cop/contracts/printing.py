"""The contract as a PDF: laid out by WeasyPrint with the roadmap's print stylesheet, from the frozen content."""
from pathlib import Path

from flask import current_app, render_template, url_for

from cop.commitments.labels import FUNDER_LABELS
from cop.contracts import queries
from cop.contracts.models import Contract
from cop.errors import Unavailable
from cop.funding.forms import ANSWER_LABELS
from cop.roadmap.documents import _identity, no_cycle_collection


def render_pdf(contract: Contract) -> bytes:
    """The contract's print document as PDF bytes (rendered on demand: the JSON is what is hashed)."""
    try:
        from weasyprint import CSS, HTML  # loads Pango: only when a PDF is asked for
    except (ImportError, OSError) as error:
        raise Unavailable("La version PDF n'est pas disponible sur ce serveur (bibliothèque Pango absente) : "
                          "utilisez la page ou le JSON.") from error
    conference = contract.conference
    html = render_template(
        "contracts/pdf.html", contract=contract, c=contract.content, conference=conference,
        signed={s.party_id: s for s in contract.signatures}, paid=queries.disbursed_by_milestone([contract.id]),
        funder_labels=FUNDER_LABELS, answer_labels=ANSWER_LABELS,
        **_identity(conference),
        json_url=url_for("contracts.download_json", conference_id=conference.id, number=contract.number,
                         _external=True))
    static = Path(current_app.static_folder)
    with no_cycle_collection():
        return HTML(string=html, base_url=str(static)).write_pdf(
            stylesheets=[CSS(filename=str(static / "css" / "roadmap-pdf.css"))])
