"""Indicative fair shares: by population by default, by weighted imported figures; sums exact; hostile files
refused line by line; only the presidency, in its phases, from a fresh copy; published on the page and the API."""
import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from cop.audit.models import AuditEvent
from cop.db import db
from cop.fairshare import compute
from cop.fairshare.compute import apportion
from cop.conferences.models import Target
from cop.fairshare.models import FairShareBasis
from tests.commitment_helpers import build_world


@pytest.fixture
def world(make):
    """Three intercommunalities (A 120 000, B 30 000, C 50 000 inhabitants), one organisation, two targets."""
    w = build_world(make)
    w.c = make.party(w.conference, make.territory(region=w.conference.region, name="CC du Plateau C",
                                                  population=50_000))
    make.party(w.conference, name="DREETS", kind="state")
    make.target(w.conference, w.sectors["automobile"], w.indicators["jobs-created"], 1000)
    make.target(w.conference, w.sectors["bois"], w.indicators["jobs-created"], 301, year=2028)
    make.target(w.conference, w.sectors["bois"], w.indicators["jobs-created"], 301, year=2030)
    db.session.commit()
    return w


def _csv(w, rows=None, header="siren;nom;emplois_industriels;foncier_ha") -> bytes:
    rows = rows if rows is not None else [
        f"{w.a.territory.code};{w.a.name};6 000;10",
        f"{w.b.territory.code};{w.b.name};3000;30,5",
        f"{w.c.territory.code};{w.c.name};1 000;0",
    ]
    return ("\n".join([header, *rows]) + "\n").encode()


def _post(client, conference, data=b"", method="figures", weights="emplois_industriels=3 ; foncier_ha=1", seen="0",
          note="Emplois industriels et foncier disponible, source : URSSAF et observatoire foncier."):
    form = {"method": method, "weights": weights, "seen": seen, "note": note}
    if data:
        form["file"] = (io.BytesIO(data), "chiffres.csv")
    return client.post(f"/cop/{conference.id}/parts-indicatives", data=form, content_type="multipart/form-data")


def _shares(w, sector="automobile"):
    result = compute.compute(w.conference)
    target = next(t for t in result.targets if t.sector.code == sector)
    return {party.name: target.shares[party.id] for party in result.parties}, target


def test_largest_remainder_sums_to_the_total_in_whole_units():
    keys = {1: Fraction(1, 3), 2: Fraction(1, 3), 3: Fraction(1, 3)}
    assert apportion(Decimal(100), keys) == {1: Decimal(34), 2: Decimal(33), 3: Decimal(33)}
    shares = apportion(Decimal(1000), {1: Fraction(6, 10), 2: Fraction(15, 100), 3: Fraction(25, 100)})
    assert shares == {1: Decimal(600), 2: Decimal(150), 3: Decimal(250)}
    assert apportion(Decimal("10.5"), {1: Fraction(1, 2), 2: Fraction(1, 2)}) == {1: Decimal("5.25"),
                                                                                  2: Decimal("5.25")}
    assert apportion(Decimal("0.01"), {1: Fraction(1, 2), 2: Fraction(1, 2)}, 2) == {1: Decimal("0.01"),
                                                                                     2: Decimal(0)}


def test_population_is_the_default_and_the_shares_sum_to_each_target(world):
    shares, target = _shares(world)
    assert shares == {"CA du Bassin A": 600, "CC du Plateau C": 250, "CC du Val B": 150}
    bois, bois_target = _shares(world, "bois")
    assert bois_target.year == 2030 and sum(bois.values()) == 301
    assert all(value == value.to_integral_value() for value in bois.values())


def test_imported_figures_with_weights_share_each_target_exactly(client, auth, world):
    auth.login(world.presidency.email)
    response = _post(client, world.conference, _csv(world))
    assert response.status_code == 302
    shares, target = _shares(world)
    # emplois: 6/10, 3/10, 1/10 (weight 3); foncier: 10/40.5, 30.5/40.5, 0 (weight 1)
    keys = compute.compute(world.conference).keys
    assert keys[world.a.id] == (3 * Fraction(6, 10) + Fraction(10, Fraction(81, 2))) / 4
    assert sum(shares.values()) == target.value == 1000
    assert shares == {"CA du Bassin A": 512, "CC du Val B": 413, "CC du Plateau C": 75}
    bois, _ = _shares(world, "bois")
    assert sum(bois.values()) == 301
    basis = db.session.scalar(db.select(FairShareBasis))
    assert (basis.number, basis.method, [c.name for c in basis.criteria]) == (
        1, "figures", ["emplois_industriels", "foncier_ha"])
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="fair_share.set"))
    data = json.loads(event.data)
    assert data["version"] == 1 and data["weights"] == {"emplois_industriels": "3",
                                                                     "foncier_ha": "1"}
    page = client.get(f"/cop/{world.conference.id}/parts-indicatives").get_data(as_text=True)
    assert "emplois_industriels" in page and "512" in page and basis.source_sha256 in page
    # Back to population: a new version, the first one kept.
    assert _post(client, world.conference, method="population", seen="1").status_code == 302
    assert [b.number for b in db.session.scalars(db.select(FairShareBasis))] == [1, 2]
    assert _shares(world)[0]["CA du Bassin A"] == 600


@pytest.mark.parametrize("rows, header, problem", [
    (["{a};A;=1+1;3", "{b};B;1;1", "{c};C;1;1"], None, "ligne 2 : « emplois_industriels » contient une formule"),
    (["{a};A;-5;3", "{b};B;1;1", "{c};C;1;1"], None, "ligne 2 : « emplois_industriels » est négatif"),
    (["{a};A;1,200;3", "{b};B;1;1", "{c};C;1;1"], None, "ligne 2 : « emplois_industriels » : « 1,200 » est ambigu"),
    (["{a};A;abc;3", "{b};B;1;1", "{c};C;1;1"], None,
     "ligne 2 : « emplois_industriels » : « abc » n’est pas un nombre"),
    (["{a};A;1;3", "{a};A;1;1", "{b};B;1;1", "{c};C;1;1"], None, "ligne 3 : le SIREN {a} apparaît deux fois"),
    (["{a};A;1;3", "123456789;X;1;1", "{b};B;1;1", "{c};C;1;1"], None,
     "ligne 3 : le SIREN 123456789 n’est pas une intercommunalité partie à cette COP"),
    (["{a};A;1;3", "<script>;B;1;1"], None, "ligne 3 : SIREN « <script> » refusé (neuf chiffres)"),
    (["{a};A;1", "{b};B;1;1", "{c};C;1;1"], None, "ligne 2 : 3 colonnes au lieu de 4"),
    (["{a};A;1;3", "{b};B;1;1"], None, "l’EPCI CC du Plateau C ({c}) n’a pas de ligne"),
    (["{a};1", "{b};1", "{c};1"], "code;emplois", "ligne 1 : la première colonne doit s’appeler « siren »"),
    (["{a};1", "{b};1", "{c};1"], "siren;Emplois é", "ligne 1 : nom de critère refusé « emplois é »"),
])
def test_hostile_files_are_refused_line_by_line_and_nothing_is_written(client, auth, world, rows, header,
                                                                       problem):
    auth.login(world.presidency.email)
    codes = {"a": world.a.territory.code, "b": world.b.territory.code, "c": world.c.territory.code}
    data = _csv(world, [row.format(**codes) for row in rows], header or "siren;nom;emplois_industriels;foncier_ha")
    response = _post(client, world.conference, data, weights="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Aucun chiffre n’a été importé" in page
    assert problem.format(**codes).replace("<", "&lt;").replace(">", "&gt;") in page.replace("&#39;", "'")
    assert db.session.scalar(db.select(FairShareBasis)) is None
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="fair_share.set")) is None


@pytest.mark.parametrize("data, weights, message", [
    (b"\x00\x01", "", "n’est pas un fichier texte CSV"),
    (b"\xff\xfe siren", "", "n’est pas en UTF-8"),
    (None, "", "Joignez le fichier CSV"),
    ("ok", "bonheur=2", "Pondération refusée : « bonheur=2 »"),
    ("ok", "emplois_industriels=-1", "Le poids de « emplois_industriels » doit être un nombre de 0 à 1 000."),
    ("ok", "emplois_industriels=0;foncier_ha=0", "Au moins un critère doit avoir un poids non nul."),
])
def test_bad_files_and_weights_are_refused(client, auth, world, data, weights, message):
    auth.login(world.presidency.email)
    response = _post(client, world.conference, _csv(world) if data == "ok" else data, weights=weights)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert db.session.scalar(db.select(FairShareBasis)) is None


def test_only_the_presidency_in_its_phases_from_a_fresh_copy(client, auth, make, world):
    secretary = make.member(world.conference, "secretariat", None, make.user(email="sg@example.fr"))
    db.session.commit()
    for user in (secretary, world.head_a):
        auth.login(user.email)
        assert _post(client, world.conference, method="population").status_code == 403
        assert "Changer la méthode" not in client.get(f"/cop/{world.conference.id}/parts-indicatives").get_data(
            as_text=True)
        assert client.post(f"/cop/{world.conference.id}/parts-indicatives").status_code == 403
    auth.login(world.presidency.email)
    assert "Changer la méthode" in client.get(f"/cop/{world.conference.id}/parts-indicatives").get_data(as_text=True)
    assert _post(client, world.conference, method="population", seen="1").status_code == 409
    assert _post(client, world.conference, method="bonheur").status_code == 422
    world.conference.phase = "adoption"
    db.session.commit()
    response = _post(client, world.conference, method="population")
    assert response.status_code == 409
    assert db.session.scalar(db.select(FairShareBasis)) is None
    auth.logout()
    assert _post(client, world.conference, method="population").status_code == 302  # to the login page
    assert db.session.scalar(db.select(FairShareBasis)) is None


def test_the_api_publishes_the_method_the_data_and_the_shares(client, auth, world):
    auth.login(world.presidency.email)
    assert _post(client, world.conference, _csv(world)).status_code == 302
    auth.logout()
    body = client.get(f"/api/v1/conferences/{world.conference.id}/fair-shares?per_page=2").get_json()
    assert body["basis"]["method"] == "figures" and body["basis"]["version"] == 1
    assert body["basis"]["criteria"] == [{"name": "emplois_industriels", "weight": 3},
                                         {"name": "foncier_ha", "weight": 1}]
    assert (body["total"], len(body["items"]), body["next"] is not None) == (3, 2, True)
    first = body["items"][0]
    assert first["party"]["name"] == "CA du Bassin A" and first["figures"] == {"emplois_industriels": 6000,
                                                                               "foncier_ha": 10}
    assert {"sector": "automobile", "indicator": "jobs-created", "year": 2030, "share": 512} in first["shares"]
    assert client.get("/api/v1/conferences/999999/fair-shares").status_code == 404
    assert client.get(f"/api/v1/conferences/{world.conference.id}/fair-shares?page=0").status_code == 422


def test_the_page_reads_in_english(client, world):
    page = client.get(f"/cop/{world.conference.id}/parts-indicatives", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert client.get(f"/cop/{world.conference.id}/parts-indicatives?cible=x__y").status_code == 422


def test_territory_page_and_synthesis_show_each_party_against_its_share(client, world):
    from tests.commitment_helpers import draft_input, file
    file(world, world.a, "automobile", draft_input("650"))          # share 600: above
    file(world, world.b, "automobile", draft_input("100", "60"))    # share 150: with support
    db.session.commit()
    page = client.get(f"/portail/territoires/epci/{world.a.territory.code}").get_data(as_text=True)
    assert "Part indicative des objectifs régionaux" in page and "atteint sa part" in page
    page = client.get(f"/portail/territoires/epci/{world.b.territory.code}").get_data(as_text=True)
    assert "l’atteint avec les appuis demandés" in page
    synthesis = client.get(f"/cop/{world.conference.id}/synthese").get_data(as_text=True)
    assert "1 partie(s) atteignent leur part, 1 engagée(s) en deçà, 1 sans engagement." in synthesis
    assert "au-dessus de sa part" in synthesis


def _shares_section(page: str) -> str:
    return page[page.index("Part indicative des objectifs régionaux"):]


def test_the_kept_shares_outlive_an_acceptance_and_nothing_that_changes_them(app, client, world, make, monkeypatch):
    """A territory's page keeps its COP's shares across an acceptance (no recomputation), and after each write
    the shares and pledges it shows are those computed from scratch."""
    from tests.commitment_helpers import draft_input, file
    from tests.test_cache_scopes import tokens

    url, scope = f"/portail/territoires/epci/{world.a.territory.code}", f"shares:{world.conference.id}"
    real, computed = compute.compute, []

    def counting(conference):
        computed.append(conference.id)
        return real(conference)

    def check(step: str) -> str:
        served = _shares_section(client.get(url).get_data(as_text=True))
        app.extensions.pop("cop_page_cache", None)
        app.extensions.pop("cop_part_cache", None)
        assert served == _shares_section(client.get(url).get_data(as_text=True)), step
        return served

    assert "600" in check("start")
    monkeypatch.setattr(compute, "compute", counting)
    client.get(url)
    before = tokens()
    file(world, world.a, "automobile", draft_input("650"))
    db.session.commit()
    after = tokens()
    assert after[scope] == before.get(scope) and after["global"] == before["global"]  # the shares stay…
    page = _shares_section(client.get(url).get_data(as_text=True))
    assert computed == [] and "650" in page and "atteint sa part" in page  # …and the page shows the pledge
    steps = [
        ("a target changed", lambda: setattr(db.session.scalar(db.select(Target).filter_by(
            conference_id=world.conference.id, sector_id=world.sectors["automobile"].id)), "value", 2000), "1 200"),
        ("a population changed", lambda: setattr(world.c.territory, "population", 250_000), "600"),
        ("a party added", lambda: make.party(world.conference, make.territory(
            region=world.conference.region, name="CC du Lac D", population=400_000)), "300"),
    ]
    for step, write, share in steps:
        client.get(url)
        write()
        db.session.commit()
        served = check(step)
        assert share in served.replace("\u202f", " ").replace("\xa0", " "), step
