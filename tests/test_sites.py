"""The registry of ready-to-use sites: the managers register, edit (fresh copies only) and link; anyone filters
the list (by power and status…), grouped by département, paginated; the API and the open data carry it."""
import re

import pytest

from cop.audit.models import AuditEvent
from cop.db import db
from cop.sites.models import RegistrySite, SiteCommitment
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make):
    """The commitments' world, with communes in two départements of the region."""
    w = build_world(make)
    w.commune_a.region_code = w.conference.region.code
    w.commune_a.departement_code = "69"
    epci = w.b.territory
    w.commune_b = make.commune(epci, "38185", "Grenoble", ("38000",))
    w.commune_b.region_code, w.commune_b.departement_code = w.conference.region.code, "38"
    w.other_region = make.commune(epci, "75056", "Paris", ("75001",))
    w.other_region.region_code, w.other_region.departement_code = "11", "75"
    make.territory(kind="departement", code="69", name="Rhône")
    make.territory(kind="departement", code="38", name="Isère")
    db.session.commit()
    return w


def _site(client, conference, **fields):
    data = {"name": "Friche Bosch", "commune": "Lyon", "hectares": "12,5", "status": "brownfield", "owner": "SERL",
            "available_on": "2027-06-01", "power_mw": "", "icpe": "none", "land_take_avoided_ha": "12,5",
            "description": ""}
    data.update(fields)
    return client.post(f"/cop/{conference.id}/sites/nouveau", data={k: v for k, v in data.items() if v is not None})


def _registry(client, auth, world):
    auth.login(world.presidency.email)
    specs = [("Friche Bosch", "Lyon", "brownfield", "5", None), ("Vallée de la chimie", "Lyon", "ready", "40", "1"),
             ("Presqu’île", "Grenoble", "ready", "25", None), ("Ancienne papeterie", "Grenoble", "ready", "8", "1"),
             ("Port Édouard-Herriot", "Lyon", "taken", "60", "1"), ("Zone sans réseau", "Grenoble", "ready", "", None)]
    for name, commune, status, power, rail in specs:
        assert _site(client, world.conference, name=name, commune=commune, status=status, power_mw=power,
                     rail_access=rail).status_code == 302
    auth.logout()


def test_a_site_is_filtered_by_power_and_status(client, auth, world):
    _registry(client, auth, world)
    page = client.get(f"/cop/{world.conference.id}/sites?statut=ready&puissance_min=20")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "2 site(s)" in text
    assert "Vallée de la chimie" in text and "Presqu’île" in text
    for absent in ("Ancienne papeterie", "Port Édouard-Herriot", "Friche Bosch", "Zone sans réseau"):
        assert absent not in text
    # Grouped by département, in code order: Isère (38) before Rhône (69).
    assert text.index('id="dep-38">38 — Isère') < text.index("Presqu’île") < text.index(
        'id="dep-69">69 — Rhône') < text.index("Vallée de la chimie")
    body = client.get(f"/api/v1/conferences/{world.conference.id}/sites?statut=ready&statut=taken&puissance_min=20"
                      "&rail=1").get_json()
    assert sorted(s["name"] for s in body["items"]) == ["Port Édouard-Herriot", "Vallée de la chimie"]
    assert body["items"][0]["power_mw"] in (40, 60) and body["items"][0]["rail_access"] is True
    assert client.get(f"/api/v1/conferences/{world.conference.id}/sites?departement=38").get_json()["total"] == 3


@pytest.mark.parametrize("query", ["statut=gone", "puissance_min=-3", "puissance_min=abc", "icpe=nuclear",
                                   "departement=%3Cscript%3E", "surface_min=1e400"])
def test_bad_filters_are_refused_in_french(client, world, query):
    cop = world.conference.id
    for url in (f"/cop/{cop}/sites?{query}", f"/api/v1/conferences/{cop}/sites?{query}"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "<script>" not in response.get_data(as_text=True)


def test_the_list_is_paginated_and_keeps_its_filters(client, auth, world):
    auth.login(world.presidency.email)
    for n in range(27):
        assert _site(client, world.conference, name=f"Site {n:02d}", status="ready", power_mw="10").status_code == 302
    auth.logout()
    text = client.get(f"/cop/{world.conference.id}/sites?statut=ready&puissance_min=5").get_data(as_text=True)
    assert "27 site(s)" in text and "Site 24" in text and "Site 25" not in text
    assert "page=2" in text and "statut=ready" in text.split("page=2")[0].rsplit("href=", 1)[1] + text.split(
        "page=2")[1][:80]
    assert "Site 26" in client.get(f"/cop/{world.conference.id}/sites?statut=ready&puissance_min=5&page=2").get_data(
        as_text=True)


def test_edit_link_and_audit(client, auth, world):
    commitment = file(world, world.a, "chimie-materiaux", draft_input("100"))
    db.session.commit()
    auth.login(world.presidency.email)
    assert _site(client, world.conference).status_code == 302
    site = db.session.scalar(db.select(RegistrySite))
    url = f"/cop/{world.conference.id}/sites/{site.id}"
    assert 'value="Lyon (69123)"' in client.get(f"{url}/modifier").get_data(as_text=True)
    edit = {"name": "Friche Bosch", "commune": "Grenoble", "hectares": "12,5", "status": "rehabilitating",
            "icpe": "registration", "power_mw": "15", "land_take_avoided_ha": "12", "seen": "1"}
    assert client.post(f"{url}/modifier", data=edit).status_code == 302
    assert client.post(f"{url}/modifier", data=edit).status_code == 409          # stale copy
    db.session.expire_all()
    assert (site.status, site.departement_code, site.version) == ("rehabilitating", "38", 2)
    assert client.post(f"{url}/liens", data={"commitment_id": commitment.id, "use": "rehabilitates"}).status_code == 302
    assert client.post(f"{url}/liens", data={"commitment_id": commitment.id, "use": "uses"}).status_code == 409
    assert client.post(f"{url}/liens", data={"commitment_id": 999999, "use": "uses"}).status_code == 404
    page = client.get(url).get_data(as_text=True)
    assert "réhabilite le site" in page and world.a.name in page
    body = client.get(f"/api/v1/conferences/{world.conference.id}/sites/{site.id}").get_json()
    assert body["commitments"] == [{"id": commitment.id, "use": "rehabilitates"}] and body["icpe"] == "registration"
    link = db.session.scalar(db.select(SiteCommitment))
    assert client.post(f"{url}/liens/{link.id}/retirer").status_code == 302
    assert db.session.scalar(db.select(SiteCommitment)) is None
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-4:] == ["site.registered", "site.updated", "site.linked", "site.unlinked"]


@pytest.mark.parametrize("fields, message", [
    ({"commune": "Paris"}, "n’est pas dans la région de cette COP"),
    ({"commune": "Atlantide"}, "Aucune commune ne correspond"),
    ({"hectares": "-3"}, "Un nombre positif est attendu"),
    ({"hectares": "1,200"}, "est ambigu"),
    ({"hectares": "0"}, "La surface doit être comprise entre 0 et"),
    ({"power_mw": "1000000"}, "La puissance disponible doit être comprise"),
    ({"status": "demolished"}, "N'est pas un choix valide."),
])
def test_hostile_sites_are_refused_and_nothing_is_written(client, auth, world, fields, message):
    auth.login(world.presidency.email)
    response = _site(client, world.conference, **fields)
    assert response.status_code in (404, 422)
    text = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in text, re.findall(r"field-error[^>]*>([^<]*)", text)
    assert db.session.scalar(db.select(RegistrySite)) is None


def test_only_the_managers_register_and_citizens_read(client, auth, make, world):
    for user in (world.head_a, world.observer):
        auth.login(user.email)
        assert _site(client, world.conference).status_code == 403
        assert client.get(f"/cop/{world.conference.id}/sites/nouveau").status_code == 403
        assert "Inscrire un site" not in client.get(f"/cop/{world.conference.id}/sites").get_data(as_text=True)
    auth.logout()
    assert _site(client, world.conference).status_code == 302  # to the login page
    assert db.session.scalar(db.select(RegistrySite)) is None
    secretary = make.member(world.conference, "secretariat", None, make.user(email="sg@example.fr"))
    world.conference.phase = "closed"
    db.session.commit()
    auth.login(secretary.email)
    assert _site(client, world.conference).status_code == 409
    world.conference.phase = "implementation"
    db.session.commit()
    assert _site(client, world.conference).status_code == 302
    other = make.conference(make.region(code="11", name="Île-de-France"))
    db.session.commit()
    site = db.session.scalar(db.select(RegistrySite))
    assert client.get(f"/cop/{other.id}/sites/{site.id}").status_code == 404
    assert client.get(f"/cop/{world.conference.id}/sites/{site.id}", headers={"Accept-Language": "en"}).status_code \
        == 200


def test_open_data_carries_the_registry(client, auth, world):
    _registry(client, auth, world)
    rows = client.get("/opendata/sites_cles_en_main.json").get_json()
    assert len(rows) == 6 and {r["status"] for r in rows} == {"brownfield", "ready", "taken"}
    package = client.get("/opendata/datapackage.json").get_json()
    assert {"sites-cles-en-main", "sites-cles-en-main-engagements", "parts-indicatives-methodes",
            "parts-indicatives-chiffres"} <= {r["name"] for r in package["resources"]}
