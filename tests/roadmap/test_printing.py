"""The adopted roadmap's PDF: rendered once in the background after the adoption commits, stored with its SHA-256,
served from the stored bytes and refused when they no longer match; drafts rendered on demand, never stored."""
import hashlib

from cop.db import db
from cop.roadmap import adoption, documents, printing, services
from cop.roadmap.models import RoadmapDocument
from tests.roadmap import scenario as sc


def _count_renders(monkeypatch) -> list:
    """Count the PDF renders."""
    calls, render = [], documents.render_pdf

    def counted(version, **kw):
        calls.append(version.number)
        return render(version, **kw)
    monkeypatch.setattr(documents, "render_pdf", counted)
    return calls


def _adopt(make):
    """Generate, submit and adopt a first version (the commit happens here)."""
    s = sc.build(make)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    sc.decide(s, adoption.submit(s.secretariat, version, s.plenary))
    db.session.commit()
    return s, version


def test_adoption_renders_the_pdf_once_in_the_background(make, app, client, pango, monkeypatch):
    monkeypatch.setitem(app.config, "COP_ROADMAP_PDF_BACKGROUND", True)
    renders = _count_renders(monkeypatch)
    printing.threads.clear()
    s, version = _adopt(make)
    assert [t.name for t in printing.threads] == [f"roadmap-pdf-{version.id}"]
    printing.threads[0].join(120)
    stored = db.session.scalar(db.select(RoadmapDocument).filter_by(version_id=version.id))
    assert stored is not None and renders == [1] and stored.size == len(stored.pdf)
    page = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert stored.sha256 in page and "en cours de mise en page" not in page
    first = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf")
    again = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf")
    assert first.get_data() == again.get_data() == stored.pdf and renders == [1]
    assert first.headers["X-Roadmap-PDF-SHA256"] == hashlib.sha256(first.get_data()).hexdigest() == stored.sha256


def test_without_the_background_the_page_says_it_is_not_ready_and_the_first_download_renders(make, client, pango,
                                                                                          monkeypatch):
    renders = _count_renders(monkeypatch)
    printing.threads.clear()
    s, version = _adopt(make)
    assert printing.threads == [] and renders == []
    page = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert "en cours de mise en page" in page
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf").status_code == 200
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf").status_code == 200
    assert renders == [1] and db.session.scalar(db.select(db.func.count(RoadmapDocument.id))) == 1


def test_stored_bytes_that_no_longer_match_their_hash_are_not_served(make, client, pango):
    s, version = _adopt(make)
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf").status_code == 200
    stored = db.session.scalar(db.select(RoadmapDocument))
    stored.pdf = stored.pdf.replace(b"Feuille", b"Feuillx", 1) + b"%% altered"
    db.session.commit()
    response = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf")
    assert response.status_code == 503 and b"%PDF" not in response.get_data()
    assert "ne correspond plus à son empreinte" in response.get_data(as_text=True)


def test_a_draft_is_rendered_on_demand_and_never_stored(make, client, auth, pango, monkeypatch):
    renders = _count_renders(monkeypatch)
    s = sc.build(make)
    db.session.commit()
    services.generate_draft(s.secretariat, s.conference)
    db.session.commit()
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf").status_code == 404
    auth.login(s.heads[0].email)
    for _ in range(2):
        response = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf")
        assert response.status_code == 200 and "X-Roadmap-PDF-SHA256" not in response.headers
    assert renders == [1, 1] and db.session.scalar(db.select(db.func.count(RoadmapDocument.id))) == 0


def test_an_adoption_rolled_back_renders_nothing(make, app, pango, monkeypatch):
    monkeypatch.setitem(app.config, "COP_ROADMAP_PDF_BACKGROUND", True)
    printing.threads.clear()
    s = sc.build(make)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    sc.decide(s, adoption.submit(s.secretariat, version, s.plenary))
    db.session.rollback()
    db.session.commit()
    assert printing.threads == []


def test_roadmap_cover_carries_the_identity(make, app, pango):
    import io

    import pdfplumber

    from cop.identity import services
    from tests.roadmap import pdf_layout
    from tests.roadmap.test_adoption import adopted
    from tests.test_identity import _png

    s, version = adopted(make)
    services.set_identity(s.presidency, s.conference, "Région Auvergne-Rhône-Alpes", "#6e0e50",
                          "Hôtel de Région, Lyon", _png(), "Logo")
    db.session.commit()
    with app.test_request_context():
        pdf = documents.render_pdf(version)
    cover = pdf_layout.read(pdf)[0]
    assert "AUVERGNE" in cover.text.replace(" ", "") and "Hôtel de Région, Lyon" in cover.text
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert document.pages[0].images
