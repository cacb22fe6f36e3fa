"""Signatures on their acts, an amended roadmap and the stocktake in Chromium: the head of delegation signs through
the form (password, act, PDF upload); the roadmap, request and stocktake pages pass axe and fit 1366 px and 390 px
screens, in French and in English."""
import threading

import pytest
from werkzeug.serving import make_server

from cop.conferences import phases
from cop.db import db
from cop.followup import services as followup
from cop.meetings.models import AgendaItem
from cop.roadmap import amendments, signatures
from cop.roadmap.models import SignatureAct
from tests.browser.test_accessibility import violations
from tests.factories import PASSWORD
from tests.live.conftest import free_port
from tests.roadmap import scenario as sc
from tests.roadmap.test_amendments import REASON
from tests.roadmap.test_signature_acts import act, real_pdf, requiring


@pytest.fixture
def site(app, make):
    """A roadmap signed on acts by the two parties that filed, amended once (version 2), a 2026 report."""
    s, v1 = requiring(make)
    for head, party in zip(s.heads[:2], s.parties[:2]):
        signatures.sign(head, v1, party, v1.sha256, password=PASSWORD, act=act())
    amendment = amendments.request(s.heads[0], s.parties[0], s.commitments[0].id,
                                   {"jobs-created": {"unconditional": "90", "conditional": "30"}}, "closure", REASON)
    sc.decide(s, db.session.get(AgendaItem, amendment.agenda_item_id))
    phases.move_phase(s.presidency, s.conference, "implementation", "", confirmed=True)
    v2 = amendment.result_version
    pledge = next(p for c in v2.content["chapters"] for p in c["pledges"] if p["party"] == s.parties[1].id)
    followup.report(s.heads[1], s.parties[1], pledge["id"], 2026, "25", "https://exemple.fr/rapport.pdf", "")
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", s, v2
    server.shutdown()
    thread.join(10)


def _login(page, base, email):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_sign_with_the_act_and_read_the_pages(site, browser, tmp_path):
    base, s, v2 = site
    act_file = tmp_path / "deliberation.pdf"
    act_file.write_bytes(real_pdf())
    cop = s.conference.id
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    _login(page, base, s.heads[0].email)
    page.goto(f"{base}/cop/{cop}/feuille-de-route")
    assert violations(page) == []
    page.check("input[value=deliberation]")
    page.get_by_label("Numéro de l’acte").fill("DEL-2028-007")
    page.get_by_label("Date de l’acte").fill("2026-11-02")
    page.get_by_label("Organe qui l’a adopté (conseil, bureau, délégataire)").fill("Conseil communautaire")
    page.set_input_files("input[name=act_pdf]", str(act_file))
    page.get_by_label("Votre mot de passe, pour confirmer votre identité").fill("pas-le-bon")
    page.get_by_role("button", name="Signer pour CC numéro 1").click()
    assert "Mot de passe incorrect" in page.inner_text("body")
    page.set_input_files("input[name=act_pdf]", str(act_file))
    page.get_by_label("Votre mot de passe, pour confirmer votre identité").fill(PASSWORD)
    page.get_by_role("button", name="Signer pour CC numéro 1").click()
    assert "a signé la version 2" in page.inner_text("body")
    stored = db.session.scalar(db.select(SignatureAct).filter_by(number="DEL-2028-007"))
    assert stored is not None and stored.sha256 in page.inner_text("body")
    page.goto(f"{base}/cop/{cop}/feuille-de-route/modification")
    assert violations(page) == []
    context.close()

    urls = [f"/cop/{cop}/feuille-de-route", f"/cop/{cop}/feuille-de-route?version=1", f"/cop/{cop}/bilan",
            f"/cop/{cop}/bilan/parties/{s.parties[1].id}"]
    found = {}
    for locale, lang in (("fr-FR", "fr"), ("en-GB", "en")):
        for width in (1366, 390):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 844}, bypass_csp=True)
            page = context.new_page()
            page.goto(f"{base}/langue/{lang}")
            for url in urls:
                page.goto(base + url)
                scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                problems = violations(page)
                if scroll > inner or problems:
                    found[(locale, width, url)] = (scroll, inner, problems)
            page.goto(f"{base}/cop/{cop}/feuille-de-route")
            if lang == "en":
                assert "Chain of adopted versions" in page.inner_text("body")
            else:
                assert "Chaîne des versions adoptées" in page.inner_text("body")
            if width == 390:
                page.screenshot(path=str(tmp_path / f"roadmap-{lang}-{width}.png"), full_page=True)
                page.goto(f"{base}/cop/{cop}/bilan")
                page.screenshot(path=str(tmp_path / f"bilan-{lang}-{width}.png"), full_page=True)
            context.close()
    assert found == {}
