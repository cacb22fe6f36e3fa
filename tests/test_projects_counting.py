"""One plant, one count: a project pledged by three parties counts once in the synthesis, the roadmap and the
stocktake; and a sealed line leaks nowhere before its reveal."""
import io
import itertools
import re
from decimal import Decimal

import pdfplumber

from cop.commitments import synthesis
from cop.commitments.models import Pledge
from cop.db import db
from cop.followup import services as followup, stocktake
from cop.opendata.catalogue import TABLES
from cop.projects import operations
from cop.projects.verify import verify_all
from cop.seals import operations as seals
from cop.sites import operations as site_operations
from cop.territories.models import Commune
from tests import seal_helpers
from cop.roadmap import adoption, services
from tests.roadmap import scenario as sc


MARKER = "ZQX-MARQUEUR-9137"
SIRET = "42424242000018"


def _shared_project(s, sealed=False):
    """A plant registered by the first party, pledged by the three with shares 40/30/30 (300 jobs each line)."""
    project = operations.register(s.heads[0], s.parties[0], sector_code=s.sectors[2].code,
                                  name=f"Usine {MARKER}", siret=SIRET, description=f"Description {MARKER}",
                                  sealed=sealed, reason="Annonce par l’industriel" if sealed else "",
                                  announce_on=__import__("datetime").date(2099, 1, 1) if sealed else None)
    jobs = s.indicators["jobs-created"]
    for party, share in zip(s.parties, ("40", "30", "30")):
        def name(version, share=share):
            for pledge in version.pledges:
                pledge.project_id, pledge.project_share = project.id, Decimal(share)
        sc.commitment(party, s.sectors[2], {jobs: (300, 0)}, extra=[name])
    db.session.flush()
    return project


def _row(result, sector, code):
    return next(r for r in result.rows if r.sector.id == sector.id and r.indicator.code == code)


def test_a_project_pledged_by_three_parties_counts_once_everywhere(make):
    s = sc.build(make)
    _shared_project(s)
    db.session.commit()
    row = _row(synthesis.compute(s.conference), s.sectors[2], "jobs-created")
    assert (row.unconditional, row.avoided, row.parties) == (Decimal(300), Decimal(600), 3)
    version = services.generate_draft(s.secretariat, s.conference)
    item = adoption.submit(s.secretariat, version, s.plenary)
    sc.decide(s, item)
    db.session.commit()
    chapter = next(c for c in version.content["chapters"] if c["sector"] == s.sectors[2].code)
    jobs = next(r for r in chapter["indicators"] if r["indicator"] == "jobs-created")
    assert (Decimal(str(jobs["unconditional"])), Decimal(str(jobs["double_counting_avoided"]))) == (300, 600)
    assert {p["project"] for p in chapter["pledges"]} == {1}
    s.conference.phase = "implementation"
    db.session.commit()
    for head, party, pledge in zip(s.heads, s.parties, [p for p in chapter["pledges"]]):
        report = followup.report(head, party, pledge["id"], 2027, "150")
        followup.review(s.presidency, report, True)
    db.session.commit()
    line = next(x for x in stocktake.lines(s.conference, stocktake.in_force(s.conference))
                if x.sector == s.sectors[2].code and x.indicator == "jobs-created")
    assert line.pledged == 300 and line.pledged_by_year[2030] == 300 and line.achieved[2027] == 150


def test_the_synthesis_flags_the_same_siret_in_two_projects(make):
    s = sc.build(make)
    operations.register(s.heads[1], s.parties[1], sector_code=s.sectors[0].code, name="Même usine", siret=SIRET)
    first = operations.register(s.heads[0], s.parties[0], sector_code=s.sectors[0].code, name="Usine",
                                siret=SIRET)
    second = db.session.scalars(db.select(type(first)).filter_by(name="Même usine")).one()
    for commitment, project in zip(s.commitments[:2], (first, second)):
        pledge = commitment.versions[0].pledges[0]
        pledge.project_id = project.id
    db.session.commit()
    flags = synthesis.compute(s.conference).flags
    assert {"what": "siret", "label": SIRET, "parties": 2} in flags.double_counts


def _routes(app, ids):
    """Every GET route of the app, its arguments filled with each value `ids` gives (a list: each of them)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or not set(rule.arguments) <= set(ids):
            continue
        names = sorted(rule.arguments)
        for combination in itertools.product(*[ids[n] if isinstance(ids[n], list) else [ids[n]] for n in names]):
            url = rule.rule
            for arg, value in zip(names, combination):
                url = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(value), url)
            yield url


def _texts(client, urls):
    for url in urls:
        response = client.get(url)
        body = response.get_data()
        if response.mimetype == "application/pdf":
            with pdfplumber.open(io.BytesIO(body)) as pdf:
                yield url, "\n".join(page.extract_text() or "" for page in pdf.pages)
        else:
            yield url, body.decode("utf-8", "replace")


def test_a_sealed_line_counts_but_leaks_nowhere_until_revealed(app, make, client, auth):
    """A sealed project, a sealed commitment and a sealed site: every GET route, anonymous and as another party's
    head, shows none of their hidden content until the reveal; then the content is there and verifies."""
    s = sc.build(make, phase="call_for_commitments")
    project = _shared_project(s, sealed=True)
    sealed = seal_helpers.sealed_commitment(s.heads[2], s.parties[2], s.sectors[1], s.presidency, MARKER)
    commune = db.session.scalar(db.select(Commune).filter_by(code="01001"))
    site = seal_helpers.sealed_site(s.presidency, s.conference, commune, MARKER)
    site_operations.link(s.presidency, site, sealed.id, "uses")
    s.conference.phase = "adoption"
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    db.session.commit()
    assert _row(synthesis.compute(s.conference), s.sectors[2], "jobs-created").unconditional == 300
    counted = _row(synthesis.compute(s.conference), s.sectors[1], "jobs-created")
    assert counted.unconditional == 80 + 250 and counted.conditional == 100 + 300
    pledge = db.session.scalars(db.select(Pledge).filter_by(project_id=project.id)).first()
    ids = {"conference_id": s.conference.id, "commitment_id": [pledge.version.commitment_id, sealed.id],
           "number": 1, "party_id": [s.parties[0].id, s.parties[2].id], "version": version.number,
           "sector": [s.sectors[2].code, s.sectors[1].code],
           "code": [s.sectors[2].code, s.sectors[1].code, s.parties[0].territory.code,
                    s.parties[2].territory.code, "01"],
           "kind": "epci", "territory_id": [s.parties[0].territory_id, s.parties[2].territory_id],
           "sector_code": [s.sectors[2].code, s.sectors[1].code],
           "name": [table.name for table in TABLES], "meeting_id": s.plenary.id,
           "view": ["room", "chair", "projector"], "site_id": site.id, "slug": ["projet", "engagement", "site"],
           "ref": [project.number, sealed.id, site.id]}
    urls = list(_routes(app, ids)) + [f"/recherche?q={q}" for q in ("Usine", "Description", "Friche", "Ligne",
                                                                     "Site", "scope", "ZQX", "MARQUEUR")]
    urls += [f"/api/v1/conferences/{s.conference.id}/sites?departement=01",
             f"/cop/{s.conference.id}/sites?departement=01"]
    assert len(urls) > 120 and any(url.endswith("/opendata/sceaux.csv") for url in urls)
    assert any(f"/engagements/{sealed.id}" in url for url in urls) and any(f"/sites/{site.id}" in url for url in urls)
    for who in (None, "head of another party"):
        if who:
            auth.login(s.heads[1].email)
        for url, text in _texts(client, urls):
            assert MARKER not in text and SIRET not in text, f"{url} shows sealed content to {who or 'the public'}"
    published = dict(_texts(client, [f"/cop/{s.conference.id}/projets", f"/cop/{s.conference.id}/sceaux",
                                     f"/cop/{s.conference.id}/feuille-de-route/v{version.number}.json",
                                     "/opendata/sceaux.csv", f"/cop/{s.conference.id}/engagements/{sealed.id}",
                                     f"/cop/{s.conference.id}/sites/{site.id}"]))
    missing = [url for url, text in published.items() if "/sites/" not in url and "/engagements/" not in url
               and project.seal_digest not in text]
    assert not missing
    assert all(sealed.seal_digest in published[url] for url in published if "/projets" not in url
               and "/sites/" not in url)
    assert site.seal_digest in published[f"/cop/{s.conference.id}/sites/{site.id}"]
    operations.reveal(s.heads[0], project)
    seals.reveal(s.heads[2], sealed)
    seals.reveal(s.presidency, site)
    db.session.commit()
    page = client.get(f"/cop/{s.conference.id}/projets/{project.number}").get_data(as_text=True)
    assert MARKER in page and project.seal_salt in page
    for url in (f"/cop/{s.conference.id}/engagements/{sealed.id}", f"/cop/{s.conference.id}/sites/{site.id}",
                f"/api/v1/conferences/{s.conference.id}/commitments/{sealed.id}",
                f"/api/v1/conferences/{s.conference.id}/sites/{site.id}", "/opendata/projets.csv",
                "/opendata/sites.csv", "/opendata/sites_cles_en_main.csv", "/opendata/demandes_appui.csv",
                f"/cop/{s.conference.id}/sceaux/engagement/{sealed.id}",
                f"/cop/{s.conference.id}/sceaux/site/{site.id}",
                f"/cop/{s.conference.id}/sceaux/projet/{project.number}"):
        assert MARKER in client.get(url).get_data(as_text=True), url
    check = client.get(f"/cop/{s.conference.id}/sceaux/engagement/{sealed.id}").get_data(as_text=True)
    assert sealed.seal_salt in check and 'id="sealed-text"' in check and "seal-check.js" in check
    assert verify_all(s.conference.id)[1:] == (3, [])
