"""The citizens' portal: home, « Mon territoire », territory, COP and filière pages, search, cache, escaping."""
import pytest

from cop.commitments.models import Commitment
from cop.db import db
from tests import portal_data


@pytest.fixture
def portal():
    """The published dataset, committed."""
    data = portal_data.build()
    db.session.commit()
    return data


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_home_map_and_list_link_every_region(client, portal):
    page = text(client, "/")
    assert page.count('class="map-region') == 2  # the two regions of the dataset, each a named link
    assert f'href="/portail/cop/{portal.conference.id}" aria-label="ARA, Auvergne-Rhône-Alpes : ' in page
    assert 'aria-label="BRE, Bretagne : pas encore de COP"' in page
    assert "Parties : 3 ; ayant déposé : 3 ; engagements publiés : 3, dont acceptés : 1" in page
    assert 'rel="canonical" href="http://localhost/"' in page


@pytest.mark.parametrize("query", ["69001", "Lyon", "lyon", "  VILLEURBANNE ", "Saint-Genis-Laval", "saint genis"])
def test_mon_territoire_lands_on_the_epci_in_one_step(client, portal, query):
    response = client.get("/mon-territoire", query_string={"q": query})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/portail/territoires/epci/{portal.epci.code}"


def test_mon_territoire_accents_are_optional(client, portal):
    response = client.get("/mon-territoire", query_string={"q": "saint egreve"})
    assert response.headers["Location"] == f"/portail/territoires/epci/{portal.other_epci.code}"


def test_mon_territoire_ambiguous_offers_a_choice(client, portal):
    page = text(client, "/mon-territoire?q=saint")
    assert "2 résultats" in page
    assert "Saint-Égrève" in page and "Saint-Genis-Laval" in page
    assert f"/portail/territoires/epci/{portal.other_epci.code}" in page


@pytest.mark.parametrize("query", ["zzzz", "%", "_", "99999", "'; DROP TABLE commune; --", "x" * 5000])
def test_mon_territoire_nothing_found_or_hostile(client, portal, query):
    response = client.get("/mon-territoire", query_string={"q": query})
    assert response.status_code == 200
    assert "Aucune commune" in response.get_data(as_text=True)


def test_territory_page_shows_history_and_step_back_never_drafts(client, portal):
    page = text(client, f"/portail/territoires/epci/{portal.other_epci.code}")
    assert "Version 2" in page and "Version 1" in page
    assert "Recul" in page and "Fermeture d’un site." in page
    assert "Secret brouillon" not in page and "999" not in page
    page = text(client, f"/portail/territoires/epci/{portal.epci.code}")
    assert "Un tissu aéronautique dense." in page


def test_public_meetings_and_speaking_record_never_private_ones(client, portal):
    page = text(client, f"/portail/cop/{portal.conference.id}")
    assert "Plénière d’ouverture" in page and "Compte rendu" in page
    assert "Consultation restreinte" not in page
    page = text(client, f"/portail/territoires/epci/{portal.other_epci.code}")
    assert "Plénière d’ouverture" in page and '<td class="num">2</td><td class="num">2 min' in page
    assert "Consultation restreinte" not in page


def test_territory_page_signatures_and_progress_reports(client, portal):
    page = text(client, f"/portail/territoires/epci/{portal.epci.code}")
    assert "Version 1 adoptée (Décision 1/COP)" in page and "a" * 64 in page
    assert "ne correspond pas" not in page
    assert "<th scope=\"row\">2028</th>" in page and "Déclaré" in page
    assert "brouillon" not in page.lower().replace("brouillons", "")


def test_territory_page_unknown_is_404(client, portal):
    assert client.get("/portail/territoires/epci/000000000").status_code == 404
    assert client.get("/portail/territoires/planete/1").status_code == 404


def test_conference_page_synthesis_chart_and_parties(client, portal):
    page = text(client, f"/portail/cop/{portal.conference.id}")
    assert 'role="img"' in page and "<desc id=" in page
    assert "70 % de l’objectif sans condition, 80 % avec conditions" in page
    assert "<caption>Synthèse par filière et indicateur</caption>" in page
    assert "Métropole de Lyon" in page
    assert client.get("/portail/cop/999").status_code == 404


def test_conference_page_decisions_and_adopted_roadmap(client, portal):
    page = text(client, f"/portail/cop/{portal.conference.id}")
    assert f"Décision 1/{portal.conference.code}" in page and "par consensus" in page
    assert "Version 1 adoptée" in page and "a" * 64 in page
    assert "Version 2" not in page


def test_sector_page_who_committed_what(client, portal):
    page = text(client, f"/portail/cop/{portal.conference.id}/filieres/{portal.sectors[0].code}")
    assert "Métropole de Lyon" in page and "Grenoble-Alpes-Métropole" in page
    assert "Recul" in page
    assert client.get(f"/portail/cop/{portal.conference.id}/filieres/inconnue").status_code == 404


@pytest.mark.parametrize("query,found", [("hydrogène", 1), ("HYDROGENE", 1), ("friches", 1), ("justes", 3),
                                         ("électrolyseur", 1), ("rien-de-tel", 0), ("secret brouillon", 0)])
def test_search_stems_ignores_accents_and_never_finds_drafts(client, portal, query, found):
    page = text(client, f"/recherche?q={query}")
    assert (f"{found} engagement trouvé" if found == 1 else f"{found} engagements trouvés") in page


def test_search_finds_decisions(client, portal):
    page = text(client, "/recherche?q=adoptee")
    assert "1 décision trouvée" in page and "#decision-1" in page
    assert "0 décisions trouvées" in text(client, "/recherche?q=hydrogene")


def test_search_filters_by_conference_and_paginates(client, portal, make):
    other = make.conference(make.region("11", "Île-de-France"), code="COP-X-2027")
    db.session.commit()
    assert "0 engagements trouvés" in text(client, f"/recherche?q=friche&cop={other.id}")
    assert "1 engagement trouvé" in text(client, "/recherche?q=friche&cop=99999999999999999999999")
    page = text(client, "/recherche?q=friche&page=abc")
    assert "1 engagement trouvé" in page


def test_lists_paginate(client, portal, make):
    for index in range(30):
        make.party(portal.conference, name=f"Organisation {index:02d}", kind="organisation")
    db.session.commit()
    page = text(client, f"/portail/cop/{portal.conference.id}")
    assert "Page 1 sur 2" in page and 'rel="next"' in page
    page = text(client, f"/portail/cop/{portal.conference.id}?page=2")
    assert "Organisation 29" in page and "Organisation 00" not in page
    assert f'rel="canonical" href="http://localhost/portail/cop/{portal.conference.id}?page=2"' in page


def test_a_newly_accepted_commitment_shows_at_once(client, portal):
    url = f"/portail/cop/{portal.conference.id}"
    first = client.get(url)
    assert "dont acceptés : 1" in first.get_data(as_text=True)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    stepped = db.session.get(Commitment, portal.stepped.id)
    stepped.status = "accepted"
    stepped.versions[-1].status = "accepted"
    db.session.commit()
    second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert "dont acceptés : 2" in second.get_data(as_text=True)


def test_logged_in_pages_are_not_served_from_the_cache(client, auth, portal, make):
    client.get("/")
    make.user(email="lecteur@example.fr", name="Nom Très Personnel")
    db.session.commit()
    auth.login("lecteur@example.fr")
    assert "Nom Très Personnel" in text(client, "/")


def test_hostile_content_is_escaped_everywhere(client, portal):
    urls = ["/", f"/portail/cop/{portal.conference.id}", f"/portail/cop/{portal.conference.id}/filieres/"
            f"{portal.sectors[1].code}", "/recherche?q=clic", f"/flux/cop/{portal.conference.id}.atom",
            "/mon-territoire?q=%3Cscript%3Ezz"]
    for url in urls:
        page = text(client, url)
        assert "<script>" not in page and "<img src=x" not in page, url
        assert "javascript:" not in page, url


def test_pages_have_no_inline_script_or_style(client, portal):
    for url in ["/", "/mon-territoire?q=saint", f"/portail/cop/{portal.conference.id}",
                f"/portail/territoires/epci/{portal.epci.code}", "/recherche?q=friche", "/opendata/"]:
        page = text(client, url)
        assert " style=" not in page and "<script" not in page and " onclick=" not in page, url


def test_a_page_of_a_list_counts_its_rows_only_when_it_cannot_tell(app, make):
    """`pagination.page_of` gives the total `db.paginate` gives, on the first, a middle, the last and a page beyond."""
    from sqlalchemy import event, select

    from cop.conferences.models import Party
    from cop.pagination import page_of as paginate

    conf = make.conference()
    for number in range(7):
        make.party(conf, make.territory(name=f"CC numéro {number}"))
    db.session.commit()
    query = select(Party).where(Party.conference_id == conf.id).order_by(Party.id)
    statements = []

    def sniff(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        for page, per_page in ((1, 3), (2, 3), (3, 3), (4, 3), (1, 7), (1, 10), (2, 10)):
            statements.clear()
            found = paginate(query, page, per_page)
            counted = sum("count(" in sql.lower() for sql in statements)
            expected = db.paginate(query, page=page, per_page=per_page, error_out=False)
            assert (found.total, found.pages, [p.id for p in found.items]) == \
                (expected.total, expected.pages, [p.id for p in expected.items]), (page, per_page)
            short = len(found.items) < per_page and (found.items or page == 1)
            assert counted == (0 if short else 1), (page, per_page)  # the count only when the page cannot tell
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)


def test_a_cops_figures_read_together_are_the_ones_read_apart(app, portal, make):
    """The COP page reads its coverage, headline and parties' counts in one statement: the same figures as
    `synthesis.coverage`, `queries.headlines` and a count per party, with a withdrawn commitment (published, not
    filed), a draft (neither), a party that filed nothing and one that is no EPCI."""
    from sqlalchemy import event, func, select

    from cop.commitments import synthesis
    from cop.public import queries
    from cop.territories.models import Territory
    from tests import portal_data

    gone = make.party(portal.conference, make.territory(code="200000002", name="CC du Retrait", population=7000))
    portal_data.version(portal_data.commitment(portal.conference, gone, portal.sectors[3], "withdrawn"),
                        1, "accepted", 5)
    make.party(portal.conference, make.territory(code="200000003", name="CC Sans Dépôt", population=3000))
    make.party(portal.conference, name="Chambre de commerce", kind="organisation")
    db.session.commit()
    statements = []

    def sniff(*args) -> None:
        statements.append(args[2])

    assert portal.conference.region is not None  # loaded before counting, as the page has it
    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        coverage, head, filed = queries.conference_figures(portal.conference)
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)
    assert len(statements) == 1
    assert coverage == synthesis.compute(portal.conference).coverage
    assert head == queries.headlines([portal.conference.id])[portal.conference.id]
    assert filed == dict(db.session.execute(
        select(Commitment.party_id, func.count(Commitment.id))
        .where(Commitment.conference_id == portal.conference.id, Commitment.status != "draft")
        .group_by(Commitment.party_id)).all())
    assert (head.parties, head.filing_parties, head.commitments, head.accepted) == (6, 4, 4, 1)
    assert (coverage["filed"], filed[gone.id], head.population) == (3, 1, 1_400_000 + 450_000 + 1000 + 7000 + 3000)
    brittany = db.session.scalar(select(Territory).filter_by(kind="region", code="53"))
    other = make.conference(brittany, code="COP-VIDE")
    db.session.commit()
    coverage, head, filed = queries.conference_figures(other)
    assert (coverage["parties"], head, filed) == (0, queries.Headline(), {})


def test_a_cops_page_built_cold_reads_each_thing_once(app, client, portal, make):
    """With every cache empty, the COP page reads the filières once, its identity with the COP, and counts its
    parties in the coverage's statement, not again for the list's pages (only a filtered list is counted)."""
    from sqlalchemy import event

    for index in range(30):  # two pages of parties: the first cannot tell the total
        make.party(portal.conference, name=f"Organisation {index:02d}", kind="organisation")
    db.session.commit()
    statements = []

    def sniff(conn, cursor, statement, *args):
        statements.append(" ".join(statement.lower().split()))

    def built(url: str) -> str:
        app.extensions.pop("cop_page_cache", None)
        app.extensions.pop("cop_part_cache", None)
        statements.clear()
        return text(client, url)

    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        page = built(f"/portail/cop/{portal.conference.id}")
        assert "33 parties" in page and "Page 1 sur 2" in page
        assert sum(" from sector" in sql for sql in statements) == 1
        identity = [sql for sql in statements if "conference_identity" in sql]
        assert len(identity) == 1 and " from conference " in identity[0]
        assert not [sql for sql in statements if sql.startswith("select count(*)")]
        assert "Page 1 sur 2" in built(f"/portail/cop/{portal.conference.id}?kind=organisation") \
            and [sql for sql in statements if sql.startswith("select count(*)")]
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)
