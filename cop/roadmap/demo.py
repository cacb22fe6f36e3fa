"""The demo carried to the signed roadmap: adopted by the plenary, signed by the three metropolises on the footing of
their council's deliberation (small real PDFs laid out by WeasyPrint), then amended in implementation.

`flask --app wsgi cop demo --feuille-de-route` runs it after the demo COP is built; every step goes through the same
services as the pages, and a second run changes nothing. The acts are specimens written for the demo: their
numbers, dates and wording are plausible, not real deliberations.
"""
from datetime import date, timedelta
from html import escape
from typing import Optional

from cop.auth.models import User
from cop.conferences import phases
from cop.conferences.models import Conference, Membership
from cop.db import db, utcnow
from cop.meetings import services as meetings
from cop.meetings.models import Meeting
from cop.negotiation.decisions import consensus
from cop.roadmap import adoption, amendments, services, signatures
from cop.roadmap.acts import ActInput
from cop.roadmap.models import RoadmapAmendment
from cop.rulebook.enums import ActKind, AmendmentReason

#: E-mail of the head of delegation → (act number, days before the signature, body, kind of act).
ACTS = {
    "lyon@demo.cop.fr": ("DEL-2027-1042", 12, "Conseil de la Métropole de Lyon", ActKind.DELIBERATION),
    "grenoble@demo.cop.fr": ("DEL-2027-0318", 5, "Conseil métropolitain de Grenoble-Alpes-Métropole",
                             ActKind.DELIBERATION),
    "clermont@demo.cop.fr": ("ARR-2027-077", 20, "Président de Clermont Auvergne Métropole, par délégation du "
                             "conseil", ActKind.DELEGATION),
}


def act_pdf(party: str, number: str, day: date, body: str, kind: str,
            about: str = "la feuille de route régionale de la COP industrielle") -> bytes:
    """A one-page act as a real PDF, laid out by WeasyPrint like the roadmap (`about`: what the act lets sign)."""
    from weasyprint import HTML  # loads Pango: only when an act is made

    what = "Délibération" if kind == ActKind.DELIBERATION else "Arrêté de délégation de signature"
    decided = (f"approuve {about} et autorise son président à signer ce document au nom de la collectivité"
               if kind == ActKind.DELIBERATION else
               f"donne délégation au vice-président chargé du développement économique pour signer {about}")
    html = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{escape(what)} {escape(number)}</title>
<style>@page {{ size: A4; margin: 25mm; }} body {{ font-family: sans-serif; font-size: 11pt; }}
h1 {{ font-size: 15pt; }} .ref {{ color: #444; }}</style></head><body>
<p class="ref">{escape(party)}</p><h1>{escape(what)} n° {escape(number)}</h1>
<p class="ref">Acte du {day:%d/%m/%Y} — {escape(body)}</p>
<p>Vu le code général des collectivités territoriales ; vu le règlement intérieur de la COP régionale ;</p>
<p>Après en avoir délibéré, l’organe {decided}.</p>
<p>Document de démonstration de la plateforme COP : il ne s’agit pas d’un acte réel.</p></body></html>"""
    return HTML(string=html).write_pdf()


def _user(email: str) -> Optional[User]:
    return db.session.scalar(db.select(User).filter_by(email=email))


def _adopt(conference: Conference, president: User, secretariat: User) -> None:
    """Adoption phase, a draft consolidated, put before the plenary and adopted by the gavel."""
    if conference.phase == "negotiation":
        phases.move_phase(president, conference, "adoption", "Démonstration : adoption de la feuille de route.",
                          confirmed=True)
    if amendments.in_force(conference) is not None:
        return
    version = services.generate_draft(secretariat, conference)
    plenary = db.session.scalar(db.select(Meeting).filter_by(conference_id=conference.id, kind="plenary")
                                .order_by(Meeting.starts_dt))
    item = adoption.submit(secretariat, version, plenary)
    _gavel(conference, president, plenary, item)


def _gavel(conference: Conference, president: User, meeting: Meeting, item) -> None:
    """The chair opens the meeting if need be, proposes the item by consensus; no objection: the gavel falls."""
    if meeting.state == "scheduled":
        meetings.run_command(meeting.id, president, "meeting.open", {})
    now = utcnow()
    window = consensus.propose(president, meeting, item, None, now)
    consensus.settle(meeting, window, now + timedelta(seconds=conference.objection_window_seconds + 1), president)


def _sign_all(conference: Conference, passwords: dict) -> None:
    """Each metropolis signs the version in force with its act."""
    version = amendments.in_force(conference)
    for email, (number, days, body, kind) in ACTS.items():
        day = date.today() - timedelta(days=days)
        user = _user(email)
        m = db.session.scalar(db.select(Membership).filter_by(user_id=user.id, conference_id=conference.id))
        if signatures.effective_signature(version, m.party) is not None:
            continue
        pdf = act_pdf(m.party.name, number, day, body, kind)
        signatures.sign(user, version, m.party, version.sha256, password=passwords[email],
                        act=ActInput(kind, number, day, body, f"{number}.pdf", "application/pdf", pdf))


def seed_demo_roadmap(conference: Conference, passwords: dict) -> None:
    """Carry the demo COP to a signed roadmap, then to its first amendment adopted by the review session."""
    president = _user("presidence@demo.cop.fr")
    secretariat = _user("secretariat@demo.cop.fr")
    _adopt(conference, president, secretariat)
    _sign_all(conference, passwords)
    _amend(conference, president, passwords)


def _amend(conference: Conference, president: User, passwords: dict) -> None:
    """In implementation, Clermont asks to lower one pledge (a plant closed); the review session adopts version 2,
    and Clermont signs it again."""
    if db.session.scalar(db.select(RoadmapAmendment.id).filter_by(conference_id=conference.id)):
        return
    if conference.phase == "adoption":
        phases.move_phase(president, conference, "implementation", "Démonstration : mise en œuvre.", confirmed=True)
    review = meetings.schedule_meeting(president, conference, kind="review", title="Session de revue 2028",
                                       starts_dt=utcnow() + timedelta(days=1), chair=president, is_public=True)
    clermont = _user("clermont@demo.cop.fr")
    party = db.session.scalar(db.select(Membership).filter_by(user_id=clermont.id,
                                                              conference_id=conference.id)).party
    signed = amendments.signed_commitments(amendments.in_force(conference), party)
    if not signed:
        return
    cv = signed[0]
    pledge = cv.pledges[0]
    lowered = {pledge.indicator.code: {"unconditional": str(pledge.unconditional_value * 3 / 4),
                                       "conditional": str(pledge.conditional_value)}}
    amendment = amendments.request(clermont, party, cv.commitment_id, lowered, AmendmentReason.CLOSURE,
                                   "Fermeture en 2028 d’une usine du bassin clermontois : un quart des emplois "
                                   "prévus ne sera pas créé.")
    _gavel(conference, president, review, next(i for i in review.items if i.id == amendment.agenda_item_id))
    version = amendments.in_force(conference)
    body = ACTS["clermont@demo.cop.fr"][2]
    pdf = act_pdf(party.name, "ARR-2028-012", date.today(), body, ActKind.DELEGATION)
    signatures.sign(clermont, version, party, version.sha256, password=passwords["clermont@demo.cop.fr"],
                    act=ActInput(ActKind.DELEGATION, "ARR-2028-012", date.today(), body, "ARR-2028-012.pdf",
                                 "application/pdf", pdf))
