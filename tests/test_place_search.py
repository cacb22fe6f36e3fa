"""Finding a place as people type it, on the national data: arrondissements, abbreviations, articles, typos, the EPT
of the Métropole du Grand Paris, hostile input; the same answers on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import func, select, text

from cop.conferences.parties import invite_territory
from cop.db import db
from cop.errors import Invalid
from cop.public import places
from cop.territories import names
from cop.territories.lookup import find_commune
from cop.territories.models import Commune, Territory
from cop.territories.seed import load_territories
from tests import factories

GRAND_PARIS, PLAINE_COMMUNE, EST_ENSEMBLE = "200054781", "200057867", "200057875"
LYON, MARSEILLE, SAINT_ETIENNE = "200046977", "200054807", "244200770"

#: What a citizen types → the intercommunality (SIREN) « Mon territoire » lands on in one step.
LANDS_ON = [
    ("Paris 15e", GRAND_PARIS), ("paris 15", GRAND_PARIS), ("Paris 1er arrondissement", GRAND_PARIS),
    ("75015", GRAND_PARIS), ("75115", GRAND_PARIS), ("Lyon 3e", LYON), ("Lyon 3", LYON), ("lyon 3ème", LYON),
    ("69003", LYON), ("Marseille 8e arrondissement", MARSEILLE), ("marseille 8", MARSEILLE), ("13008", MARSEILLE),
    ("St-Étienne", SAINT_ETIENNE), ("st etienne", SAINT_ETIENNE), ("Saint Etienne", SAINT_ETIENNE),
    ("Ste-Foy-lès-Lyon", LYON), ("ste foy les lyon", LYON), ("Villeurbanne", LYON),
    ("l'Isle-d'Abeau", "243800604"), ("isle d abeau", "243800604"), ("Le Puy-en-Velay", "200073419"),
    ("puy en velay", "200073419"), ("St-Genis-Laval", LYON),
]
#: A misspelt name → the commune offered first among the closest spellings.
CLOSEST = [("villeurbane", "Villeurbanne"), ("grenobel", "Grenoble"), ("clermont ferand", "Clermont-Ferrand"),
           ("st etiene", "Saint-Étienne"), ("marseile", "Marseille"), ("montpelier", "Montpellier")]
HOSTILE = ["%", "_", "%%%", "a%", "___", "\\", "'; DROP TABLE commune; --", "' OR '1'='1", "x" * 5000,
           "-" * 3000, "é" * 400, "[a-z]*", "*"]


@pytest.fixture
def national():
    """The national territories (communes, arrondissements, EPCI, EPT), committed."""
    load_territories(db.session)
    db.session.commit()


def _epci(code: str) -> Territory:
    return db.session.scalar(select(Territory).filter_by(kind="epci", code=code))


@pytest.mark.parametrize(("typed", "wanted"), [
    ("St-Étienne", "saint etienne"), ("Ste-Foy-lès-Lyon", "sainte foy les lyon"),
    ("Paris 15e Arrondissement", "paris 15"),
    ("Lyon 3ème", "lyon 3"), ("Marseille 1er", "marseille 1"), ("L'Isle-d'Abeau", "isle d abeau"),
    ("Le Puy-en-Velay", "puy en velay"), ("  SAINT--Denis ", "saint denis"), ("Lès", "les"), ("%_", ""),
])
def test_keys_forgive_accents_abbreviations_arrondissements_and_articles(typed, wanted):
    assert names.key(typed) == wanted


def test_similarity_is_pg_trgms():
    # Figures given by PostgreSQL's pg_trgm (similarity(), show_trgm()); checked against the server itself below.
    expected = [("villeurbane", "villeurbanne", 0.78571427), ("grenobel", "grenoble", 0.5),
                ("clermont ferand", "clermont ferrand", 0.8333333), ("lyon 3", "lyon", 0.71428573),
                ("saint etienne", "saint etienne", 1.0), ("zzzz", "lyon", 0.0)]
    assert sorted(names.trigrams("lyon 3")) == ["  3", "  l", " 3 ", " ly", "lyo", "on ", "yon"]
    for a, b, figure in expected:
        assert names.similarity(a, b) == pytest.approx(figure, abs=1e-6), (a, b)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn, conn.begin() as transaction:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            for a, b, figure in expected:
                found = conn.execute(text("SELECT similarity(:a, :b)"), {"a": a, "b": b}).scalar()
                assert found == pytest.approx(figure, abs=1e-6), (a, b)
            transaction.rollback()


def test_mon_territoire_finds_arrondissements_abbreviations_and_typos(client, national):
    for typed, siren in LANDS_ON:
        response = client.get("/mon-territoire", query_string={"q": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"] == f"/portail/territoires/epci/{siren}", typed
    for typed, name in CLOSEST:
        response = client.get("/mon-territoire", query_string={"q": typed})
        assert response.status_code == 200, typed
        page = response.get_data(as_text=True)
        assert "les communes au nom le plus proche" in page, typed
        first = page.index("<strong>", page.index('class="choice-list"'))
        assert page[first:].startswith(f"<strong>{name}</strong>"), typed
        assert page.count("<li>", first, page.index("</ul>", first)) <= places.MAX_CLOSE
    page = client.get("/mon-territoire", query_string={"q": "Lyon 3e"}, follow_redirects=True).get_data(as_text=True)
    assert "Métropole de Lyon" in page


def test_saint_denis_and_montreuil_show_their_ept_and_the_metropole(client, national):
    for typed, ept in [("Saint-Denis", PLAINE_COMMUNE), ("Montreuil", EST_ENSEMBLE), ("Aubervilliers", PLAINE_COMMUNE),
                       ("93200", PLAINE_COMMUNE)]:
        response = client.get("/mon-territoire", query_string={"q": typed})
        assert response.status_code == 200, typed  # a list: the EPT and the Métropole, never one of them alone
        page = response.get_data(as_text=True)
        assert f'href="/portail/territoires/ept/{ept}"' in page, typed
        assert f'href="/portail/territoires/epci/{GRAND_PARIS}"' in page, typed
    page = client.get("/mon-territoire?q=Saint-Denis").get_data(as_text=True)
    start = page.index('class="choice-list"')
    assert page.count("<li>", start, page.index("</ul>", start)) >= 3  # Saint-Denis of the Réunion, the Aude…
    assert "établissement public territorial" in page
    codes = {item["code"] for item in client.get("/api/v1/territories?q=93200").get_json()["items"]}
    assert {PLAINE_COMMUNE, GRAND_PARIS} <= codes
    page = client.get(f"/portail/territoires/ept/{PLAINE_COMMUNE}").get_data(as_text=True)
    assert "Plaine Commune" in page
    page = client.get(f"/territoires/ept/{PLAINE_COMMUNE}").get_data(as_text=True)
    assert "Saint-Denis" in page and "Aubervilliers" in page and "Montreuil" not in page
    plaine = db.session.scalar(select(Territory).filter_by(kind="ept", code=PLAINE_COMMUNE))
    members = select(func.sum(Commune.population)).where(Commune.ept_id == plaine.id)
    assert plaine.population == db.session.scalar(members)
    assert db.session.scalar(select(func.count()).select_from(Commune).where(Commune.ept_id.is_not(None))) == 129


def test_exact_before_prefix_before_close_and_at_most_n(national):
    index = names.index()
    assert [m.tier for m in index.find("Lyon", 50)] == [0]
    prefixed = index.find("saint gen", 5)
    assert len(prefixed) == 5 and {m.tier for m in prefixed} == {1}
    assert all(m.place.key.startswith("saint gen") for m in prefixed)
    assert [m.place.population for m in prefixed] == sorted((m.place.population for m in prefixed), reverse=True)
    close = index.find("grenobel", 4)
    assert len(close) == 4 and {m.tier for m in close} == {2} and close[0].place.name == "Grenoble"
    assert [m.score for m in close] == sorted((m.score for m in close), reverse=True)
    assert index.find("plaine commune", 10)[0].place.kind == "ept"
    assert [m.place.name for m in index.find("grand paris", 10)][0] == "Métropole du Grand Paris"


def test_hostile_input_finds_nothing_dangerous(client, national):
    communes = db.session.scalar(select(func.count()).select_from(Commune))
    for typed in HOSTILE:
        response = client.get("/mon-territoire", query_string={"q": typed})
        assert response.status_code == 200, typed
        page = response.get_data(as_text=True)
        assert "Aucune commune" in page or "au nom le plus proche" in page, typed
        assert client.get("/api/v1/territories", query_string={"q": typed}).status_code == 200, typed
    for typed in ["Lyon\x00", "Paris\x1b[2J", "\x7f"]:
        assert client.get("/mon-territoire", query_string={"q": typed}).status_code == 400, typed
    assert db.session.scalar(select(func.count()).select_from(Commune)) == communes


def test_the_officers_commune_field_reads_the_same_names(national):
    assert find_commune("St-Étienne").code == "42218"
    assert find_commune("Lyon 3e").code == "69123"
    assert find_commune("75115").code == "75056"
    assert find_commune("Paris 15e arrondissement").code == "75056"
    assert find_commune("Ste-Foy-lès-Lyon").code == "69202"
    with pytest.raises(Invalid) as error:
        find_commune("villeurbane")
    assert "Villeurbanne (69266)" in error.value.message
    with pytest.raises(Invalid) as error:
        find_commune("Saint-Denis")
    assert "Saint-Denis (93066)" in error.value.message
    with pytest.raises(Invalid):
        find_commune("%_%")


def test_an_ept_is_never_a_party(national):
    conference = factories.conference(db.session.scalar(select(Territory).filter_by(kind="region", code="11")))
    presidency = factories.member(conference, "presidency")
    with pytest.raises(Invalid):
        invite_territory(presidency, conference, "ept", PLAINE_COMMUNE)


def test_the_index_follows_the_data():
    region = factories.region()
    epci = factories.territory(region=region)
    db.session.commit()
    assert names.index().find("Zorglubville", 5) == []
    db.session.add(Commune(code="99001", name="Zorglubville", search_name="zorglubville", population=5,
                           epci_id=epci.id, departement_code="99", region_code=region.code))
    db.session.commit()
    assert [m.place.name for m in names.index().find("zorglub", 5)] == ["Zorglubville"]
