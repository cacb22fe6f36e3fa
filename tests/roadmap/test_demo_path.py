"""The demo walk: filed commitments → draft → plenary → adopted by the gavel → signed → PDF/JSON → verify → report."""
import hashlib
from datetime import date, timedelta

import pytest

from cop.conferences import phases
from cop.conferences.models import Conference, Membership
from cop.db import db, utcnow
from cop.demo import HEAD_LYON, PRESIDENCY, SECRETARIAT, build_demo
from cop.auth.models import User
from cop.followup import services as followup
from cop.meetings.models import Meeting
from cop.negotiation.decisions import consensus
from cop.errors import Invalid
from cop.roadmap import adoption, services, signatures
from cop.roadmap.acts import ActInput
from cop.roadmap.demo import act_pdf
from cop.rulebook.enums import ActKind
from tests.roadmap import pdf_layout


def _user(spec) -> User:
    return db.session.scalar(db.select(User).filter_by(email=spec.email))


def test_demo_cop_goes_from_commitments_to_a_first_progress_report(client, runner, pango):
    build_demo()
    president, secretariat, lyon = _user(PRESIDENCY), _user(SECRETARIAT), _user(HEAD_LYON)
    conference = db.session.scalar(db.select(Conference).filter_by(edition_year=2027))
    for phase in ("adoption",):
        phases.move_phase(president, conference, phase, "", confirmed=True)
    version = services.generate_draft(secretariat, conference)
    db.session.commit()
    assert version.content["chapters"] and any(c["pledges"] for c in version.content["chapters"])
    plenary = db.session.scalar(db.select(Meeting).filter_by(conference_id=conference.id, kind="plenary"))
    item = adoption.submit(secretariat, version, plenary)
    plenary.state = "open"
    now = utcnow()
    window = consensus.propose(president, plenary, item, None, now)
    consensus.settle(plenary, window, now + timedelta(seconds=conference.objection_window_seconds + 1), president)
    db.session.commit()
    assert version.state == "adopted" and version.decision_reference.startswith("Décision ")

    party = db.session.scalar(db.select(Membership).filter_by(user_id=lyon.id, conference_id=conference.id)).party
    assert conference.signature_act_required
    with pytest.raises(Invalid, match="exige l’acte"):
        signatures.sign(lyon, version, party, version.sha256, password=HEAD_LYON.password)
    pdf = act_pdf(party.name, "DEL-2027-1042", date.today(), "Conseil de la Métropole", ActKind.DELIBERATION)
    signatures.sign(lyon, version, party, version.sha256, password=HEAD_LYON.password,
                    act=ActInput(ActKind.DELIBERATION, "DEL-2027-1042", date.today(), "Conseil de la Métropole",
                                 "deliberation.pdf", "application/pdf", pdf))
    db.session.commit()
    body = client.get(f"/cop/{conference.id}/feuille-de-route/v{version.number}.json").get_data()
    assert hashlib.sha256(body).hexdigest() == version.sha256
    pdf = client.get(f"/cop/{conference.id}/feuille-de-route/v{version.number}.pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    pages = pdf_layout.read(pdf.get_data())
    assert [(p.number, pdf_layout.overlapping_words(p), pdf_layout.outside_printable_area(p)) for p in pages] == [
        (p.number, [], []) for p in pages]
    assert max(len(c["indicators"]) for c in version.content["chapters"]) > 3  # the layout per party is read too
    assert runner.invoke(args=["cop", "roadmap", "verify"]).exit_code == 0

    phases.move_phase(president, conference, "implementation", "", confirmed=True)
    pledge = next(p for c in version.content["chapters"] for p in c["pledges"] if p["party"] == party.id)
    report = followup.report(lyon, party, pledge["id"], pledge["target_year"] - 2, "12",
                             "https://www.grandlyon.com/rapport-2028.pdf", "Premier bilan")
    db.session.commit()
    assert report.state == "submitted"
    page = client.get(f"/cop/{conference.id}/bilan").get_data(as_text=True)
    assert "Bilan collectif" in page and 'role="img"' in page
