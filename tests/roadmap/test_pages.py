"""The roadmap pages and downloads: who reads what, the exact JSON bytes, CSV, PDF, signing by form."""
import hashlib
import json
import re

from cop.db import db
from cop.roadmap import adoption, services
from cop.roadmap.documents import neutral
from cop.roadmap.models import Signature
from tests.roadmap import scenario as sc
from tests.roadmap.test_adoption import adopted
from tests.factories import PASSWORD


def test_public_page_shows_hash_recipe_and_who_signed(make, client):
    s, version = adopted(make)
    page = client.get(f"/cop/{s.conference.id}/feuille-de-route")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and version.sha256 in html and "sha256sum" in html
    assert "Pas encore signé" in html and "CC numéro 3" in html
    assert 'style="' not in html and "<script>" not in html
    assert html.count("<h1") == 1 and 'role="img"' not in html


def test_drafts_are_hidden_from_the_public(make, client, auth):
    s = sc.build(make)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    db.session.commit()
    html = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert "Aucune feuille de route" in html
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.json").status_code == 404
    auth.login(s.heads[0].email)
    html = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert "Projet" in html and "n’a pas d’empreinte" in html
    assert version.content["chapters"][0]["name"] in html


def test_json_download_is_the_hashed_bytes(make, client):
    s, version = adopted(make)
    response = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.json")
    body = response.get_data()
    assert hashlib.sha256(body).hexdigest() == version.sha256 == response.headers["X-Roadmap-SHA256"]
    parsed = json.loads(body)
    assert json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() == body
    assert parsed["decision"] == "Décision 1/COP-AURA-2027" and parsed["version"] == 1


def test_csv_neutralises_formula_cells(make, client):
    s = sc.build(make)
    s.parties[1].name = '=HYPERLINK("http://exemple.fr")'
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    sc.decide(s, adoption.submit(s.secretariat, version, s.plenary))
    db.session.commit()
    text = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.csv").get_data().decode("utf-8-sig")
    assert "\'=HYPERLINK" in text and ";=HYPERLINK" not in text
    assert neutral("=1+1") == "'=1+1" and neutral("-3") == "'-3" and neutral("@x") == "'@x" and neutral(12) == "12"


def test_csv_of_an_adopted_version(make, client):
    s, version = adopted(make)
    text = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.csv").get_data().decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("filiere;partie;indicateur") and len(lines) == 1 + 4
    assert any(";1500000.5;0;1500000.5;" in line for line in lines)


def _texts(box) -> list[str]:
    """Every text laid out in a box and its descendants."""
    out = [box.text] if hasattr(box, "text") else []
    for child in getattr(box, "children", []):
        out += _texts(child)
    return out


def test_pdf_has_contents_page_numbers_and_the_hash_on_every_page(make, app, pango):
    from cop.roadmap import documents

    s, version = adopted(make)
    with app.test_request_context():
        document = documents.render_document(version, conference=s.conference, signed=[], missing=[])
        pdf = documents.render_pdf(version, conference=s.conference, signed=[], missing=[])
    assert pdf.startswith(b"%PDF")
    pages = [" ".join(_texts(page._page_box)) for page in document.pages]
    assert len(pages) >= 6
    for number, text in enumerate(pages, start=1):
        assert version.sha256 in text and f"{number} / {len(pages)}" in text
    toc = next(text for text in pages if "Sommaire" in text)
    intro_page = int(re.search(r"Introduction et parties[ .]+(\d+)", toc).group(1))
    assert "Introduction et parties" in pages[intro_page - 1].split("Sommaire")[-1]
    assert [b[0] for b in document.make_bookmark_tree()][:1]


def test_pdf_download(make, client, pango):
    s, version = adopted(make)
    response = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF")


def test_sign_by_form(make, client, auth):
    s, version = adopted(make)
    auth.login(s.heads[0].email)
    page = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert "Signer pour CC numéro 1" in page
    response = client.post(f"/cop/{s.conference.id}/feuille-de-route/v1/signer", data={"sha256": version.sha256,
                                                                                   "password": PASSWORD})
    assert response.status_code == 302
    again = client.post(f"/cop/{s.conference.id}/feuille-de-route/v1/signer",
                        data={"sha256": version.sha256, "password": PASSWORD})
    assert again.status_code == 409 and "déjà signé" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_sign_by_form_refusals(make, client, auth):
    s, version = adopted(make)
    delegate = make.member(s.conference, "delegate", s.parties[1], may_file=True)
    db.session.commit()
    auth.login(delegate.email)
    assert client.post(f"/cop/{s.conference.id}/feuille-de-route/v1/signer",
                       data={"sha256": version.sha256}).status_code == 403
    auth.login(s.heads[1].email)
    assert client.post(f"/cop/{s.conference.id}/feuille-de-route/v1/signer",
                       data={"sha256": "not-a-hash", "password": PASSWORD}).status_code == 422
    auth.logout()
    assert client.post(f"/cop/{s.conference.id}/feuille-de-route/v1/signer",
                       data={"sha256": version.sha256}).status_code in (302, 401)
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_manage_page_generates_and_submits(make, client, auth):
    s = sc.build(make)
    db.session.commit()
    auth.login(s.secretariat.email)
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/preparer").status_code == 200
    assert client.post(f"/cop/{s.conference.id}/feuille-de-route/generer").status_code == 302
    response = client.post(f"/cop/{s.conference.id}/feuille-de-route/soumettre", data={"meeting": s.plenary.id})
    assert response.status_code == 302
    version = services.latest(services.roadmap_of(s.conference))
    assert version.state == "submitted" and version.agenda_item_id is not None


def test_manage_page_refusals(make, client, auth):
    s = sc.build(make, phase="call_for_commitments")
    db.session.commit()
    auth.login(s.heads[0].email)
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/preparer").status_code == 403
    assert client.post(f"/cop/{s.conference.id}/feuille-de-route/generer").status_code == 403
    auth.login(s.secretariat.email)
    response = client.post(f"/cop/{s.conference.id}/feuille-de-route/generer")
    assert response.status_code == 409 and "Appel à engagements" in response.get_data(as_text=True)
    assert services.roadmap_of(s.conference) is None


def test_pdf_without_pango_is_a_clear_503(make, client, monkeypatch):
    import sys

    s, version = adopted(make)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a server without Pango answers to the import
    response = client.get(f"/cop/{s.conference.id}/feuille-de-route/v1.pdf")
    assert response.status_code == 503
    assert "version imprimable ou le JSON" in response.get_data(as_text=True).replace("&#39;", "'")
