"""`cop demo --feuille-de-route`: the demo COP adopted, signed by the metropolises on their acts (real PDFs), then
amended once by the review session; verify passes; a second run changes nothing."""
import io

import pdfplumber

from cop.db import db
from cop.roadmap import amendments, signatures
from cop.roadmap.models import RoadmapAmendment, RoadmapVersion, Signature, SignatureAct


def test_the_demo_shows_signatures_with_their_deliberations_and_an_amendment(client, runner, pango):
    result = runner.invoke(args=["cop", "demo", "--feuille-de-route"])
    assert result.exit_code == 0, result.output
    acts = db.session.scalars(db.select(SignatureAct).order_by(SignatureAct.id)).all()
    assert [a.number for a in acts] == ["DEL-2027-1042", "DEL-2027-0318", "ARR-2027-077", "ARR-2028-012"]
    for act in acts:
        with pdfplumber.open(io.BytesIO(act.pdf)) as pdf:
            text = pdf.pages[0].extract_text()
        assert act.number in text and "pas d’un acte réel" in " ".join(text.split())
    amendment = db.session.scalar(db.select(RoadmapAmendment))
    v2 = amendment.result_version
    assert v2.state == "adopted" and v2.previous_sha256 == db.session.scalar(
        db.select(RoadmapVersion.sha256).filter_by(number=v2.number - 1, roadmap_id=v2.roadmap_id))
    signed, missing = signatures.signatories(v2)
    assert {p.name for p, _ in signed} >= {"Métropole de Lyon", "Clermont Auvergne Métropole"}
    page = client.get(f"/cop/{v2.roadmap.conference_id}/feuille-de-route").get_data(as_text=True)
    # Version 2: Lyon and Grenoble bound by their signature of version 1, Clermont by its new one.
    assert all(acts[i].sha256 in page for i in (0, 1, 3)) and acts[2].sha256 not in page
    assert "Chaîne des versions adoptées" in page
    assert runner.invoke(args=["cop", "roadmap", "verify"]).exit_code == 0
    counts = (db.session.scalar(db.select(db.func.count(Signature.id))),
              db.session.scalar(db.select(db.func.count(RoadmapVersion.id))))
    assert runner.invoke(args=["cop", "demo", "--feuille-de-route"]).exit_code == 0
    assert counts == (db.session.scalar(db.select(db.func.count(Signature.id))),
                      db.session.scalar(db.select(db.func.count(RoadmapVersion.id))))
    assert amendments.in_force(v2.roadmap.conference).id == v2.id
