"""The contract as a PDF: laid out by WeasyPrint with the roadmap's print stylesheet, from the frozen content.

A layout costs about a second, so each worker keeps the last PDFs it made, keyed by the SHA-256 of the HTML they
were laid out from (which holds all the document shows: the frozen content, the signatures, the payments, the
COP's print identity and the reader's language), and concurrent requests for the same missing PDF wait for one
layout: a public download cannot be turned into a way of burning the server's CPU.
"""
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from flask import current_app, render_template, url_for

from cop.commitments.labels import FUNDER_LABELS
from cop.contracts import queries
from cop.contracts.models import Contract
from cop.errors import Unavailable
from cop.funding.forms import ANSWER_LABELS
from cop.public.flights import Flights
from cop.roadmap.documents import _identity
from cop.roadmap.typesetting import no_cycle_collection


#: PDFs kept per worker (a contract's PDF weighs a few tens of kB).
KEPT = 64
_kept: OrderedDict = OrderedDict()
_kept_lock = threading.Lock()
_flights = Flights()


def render_pdf(contract: Contract) -> bytes:
    """The contract's print document as PDF bytes (the JSON is what is hashed), laid out once per worker for each
    state of what it shows."""
    try:
        from weasyprint import CSS, HTML  # loads Pango: only when a PDF is asked for
    except (ImportError, OSError) as error:
        raise Unavailable("La version PDF n'est pas disponible sur ce serveur (bibliothèque Pango absente) : "
                          "utilisez la page ou le JSON.") from error
    html = _html(contract)
    key = hashlib.sha256(html.encode()).digest()
    with _flights.over(key):
        with _kept_lock:
            if key in _kept:
                _kept.move_to_end(key)
                return _kept[key]
        static = Path(current_app.static_folder)
        with no_cycle_collection():
            body = HTML(string=html, base_url=str(static)).write_pdf(
                stylesheets=[CSS(filename=str(static / "css" / "roadmap-pdf.css"))])
        with _kept_lock:
            _kept[key] = body
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
        return body


def _html(contract: Contract) -> str:
    """The print document's HTML."""
    conference = contract.conference
    return render_template(
        "contracts/pdf.html", contract=contract, c=contract.content, conference=conference,
        signed={s.party_id: s for s in contract.signatures}, paid=queries.disbursed_by_milestone([contract.id]),
        funder_labels=FUNDER_LABELS, answer_labels=ANSWER_LABELS,
        **_identity(conference),
        json_url=url_for("contracts.download_json", conference_id=conference.id, number=contract.number,
                         _external=True))
