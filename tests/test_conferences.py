"""Opening a COP, editing its calendar and rules, inviting and accrediting parties, its public pages."""
import pytest

from cop.conferences.models import Conference, ConferenceRevision, Membership, Party
from cop.db import db


def _count(model, **where) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


def _settings(conference, **changes) -> dict:
    """A full settings form as the page would post it, with some fields changed."""
    data = {"version": conference.version, "title": conference.title, "description": "",
            "opens_on": "2027-01-10", "commitments_due_on": "2027-03-01", "negotiation_on": "2027-04-01",
            "adoption_on": "2027-04-20", "horizon_year": "2030", "decision_mode": "consensus",
            "objection_window_seconds": "60", "vote_weighting": "one_party_one_vote",
            "speaking_time_seconds": "180", "max_priority_sectors": "5", "quorum_percent": "50",
            "consensus_quorum": "y", "sealed_readers": "managers"}
    data.update(changes)
    return data


# --- Opening a COP ------------------------------------------------------------------------------


def test_regional_staff_opens_a_cop_and_becomes_its_presidency(client, auth, make):
    region = make.region()
    user = make.user(region_id=region.id)
    db.session.commit()
    auth.login(user.email)
    response = client.post("/cop/nouvelle", data={"region_id": region.id, "edition_year": "2027",
                                                  "title": "", "code": "", "description": "Une **COP**."})
    assert response.status_code == 302
    conference = db.session.scalar(db.select(Conference))
    assert conference.code == "COP-AURA-2027"
    assert conference.title == "COP industrielle Auvergne-Rhône-Alpes 2027"
    assert conference.phase == "preparation"
    membership = db.session.scalar(db.select(Membership))
    assert (membership.user_id, membership.role) == (user.id, "presidency")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>COP</strong>" in page and "vous en assurez la présidence" in page


def test_staff_of_another_region_cannot_open_a_cop(client, auth, make):
    aura, bretagne = make.region(), make.region("53", "Bretagne")
    user = make.user(region_id=bretagne.id)
    db.session.commit()
    auth.login(user.email)
    form = client.get("/cop/nouvelle").get_data(as_text=True)
    assert "Bretagne" in form and "Auvergne" not in form
    response = client.post("/cop/nouvelle", data={"region_id": aura.id, "edition_year": "2027"})
    assert response.status_code == 422  # not a choice offered to this user
    assert _count(Conference) == 0 and _count(Membership) == 0


def test_user_without_region_is_refused(client, auth, make):
    make.region()
    user = make.user()
    db.session.commit()
    auth.login(user.email)
    response = client.get("/cop/nouvelle")
    assert response.status_code == 403
    assert "Seuls les agents d&#39;une région" in response.get_data(as_text=True)


def test_service_refuses_other_region_and_unknown_region(make):
    from cop.conferences.services import create_conference
    from cop.errors import Forbidden, NotFound

    aura, bretagne = make.region(), make.region("53", "Bretagne")
    user = make.user(region_id=bretagne.id)
    with pytest.raises(Forbidden):
        create_conference(user, aura.id, 2027)
    with pytest.raises(NotFound, match="Région inconnue"):
        create_conference(user, 999999, 2027)
    assert _count(Conference) == 0


@pytest.mark.parametrize("year, code, message", [
    ("1999", "", "entre 2020 et 2100"),
    ("2027", "cop aura!", "lettres, des chiffres et des tirets"),
])
def test_open_refuses_bad_year_and_code(client, auth, make, year, code, message):
    admin = make.user(is_admin=True)
    region = make.region()
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/cop/nouvelle", data={"region_id": region.id, "edition_year": year, "code": code})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(Conference) == 0


def test_second_cop_for_the_same_edition_is_refused(client, auth, make):
    admin = make.user(is_admin=True)
    conference = make.conference(code="COP-AURA-2027")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/cop/nouvelle", data={"region_id": conference.region_id, "edition_year": "2027"})
    assert response.status_code == 422
    assert "existe déjà pour l&#39;édition 2027" in response.get_data(as_text=True)
    assert _count(Conference) == 1


# --- Calendar and rules -------------------------------------------------------------------------


def test_presidency_edits_calendar_and_rules(client, auth, make):
    conference = make.conference()
    president = make.member(conference, "presidency")
    db.session.commit()
    auth.login(president.email)
    response = client.post(f"/cop/{conference.id}/reglages", data=_settings(
        conference, quorum_percent="60", decision_mode="vote", vote_weighting="double_majority", secret_ballot="y"))
    assert response.status_code == 302
    db.session.refresh(conference)
    assert (conference.quorum_percent, conference.decision_mode, conference.secret_ballot) == (60, "vote", True)
    assert str(conference.opens_on) == "2027-01-10" and conference.version == 2
    revision = db.session.scalar(db.select(ConferenceRevision))
    assert revision.version == 2 and "quorum_percent" in revision.fields.split(",")
    page = client.get(f"/cop/{conference.id}").get_data(as_text=True)
    assert "la majorité des parties et la majorité de la population" in page
    assert "bulletin secret" in page and "Quorum : 60 %" in page


def test_secretariat_may_edit_but_a_delegate_may_not(client, auth, make):
    conference = make.conference()
    delegate = make.member(conference, "head_of_delegation", make.party(conference))
    db.session.commit()
    auth.login(delegate.email)
    assert client.get(f"/cop/{conference.id}/reglages").status_code == 403
    response = client.post(f"/cop/{conference.id}/reglages", data=_settings(conference, quorum_percent="90"))
    assert response.status_code == 403
    assert "Seules la présidence et le secrétariat" in response.get_data(as_text=True)
    db.session.refresh(conference)
    assert conference.quorum_percent == 50 and conference.version == 1
    assert _count(ConferenceRevision) == 0


def test_anonymous_visitor_is_sent_to_login(client, make):
    conference = make.conference()
    db.session.commit()
    response = client.post(f"/cop/{conference.id}/reglages", data=_settings(conference))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_calendar_out_of_order_names_the_fields_and_writes_nothing(client, auth, make):
    conference = make.conference()
    president = make.member(conference, "presidency")
    db.session.commit()
    auth.login(president.email)
    response = client.post(f"/cop/{conference.id}/reglages", data=_settings(
        conference, commitments_due_on="2027-05-01", quorum_percent="70"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Calendrier dans le désordre" in page
    assert "date de la négociation (01/04/2027) tombe avant la date limite des engagements (01/05/2027)" in page
    assert 'id="negotiation_on-error"' in page and 'aria-invalid="true"' in page
    db.session.refresh(conference)
    assert conference.opens_on is None and conference.quorum_percent == 50 and conference.version == 1


@pytest.mark.parametrize("field, value, message", [
    ("quorum_percent", "0", "« quorum » doit être compris entre 1 et 100"),
    ("quorum_percent", "101", "« quorum » doit être compris entre 1 et 100"),
    ("objection_window_seconds", "5", "entre 10 et 3600"),
    ("speaking_time_seconds", "99999", "entre 30 et 1800"),
    ("max_priority_sectors", "0", "entre 1 et 30"),
    ("horizon_year", "2026", "entre 2027 et 2077"),
    ("decision_mode", "tirage_au_sort", "N&#39;est pas un choix valide."),
    ("quorum_percent", "beaucoup", "N&#39;est pas un entier valide."),
    ("opens_on", "31/02/2027", "N&#39;est pas une date valide."),
])
def test_rules_out_of_range_are_refused(client, auth, make, field, value, message):
    conference = make.conference()
    president = make.member(conference, "presidency")
    db.session.commit()
    auth.login(president.email)
    response = client.post(f"/cop/{conference.id}/reglages", data=_settings(conference, **{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.refresh(conference)
    assert conference.version == 1 and conference.opens_on is None


def test_horizon_cannot_move_before_existing_targets(make):
    from cop.conferences.rules import FieldsInvalid
    from cop.conferences.services import update_settings

    conference = make.conference(horizon_year=2035)
    president = make.member(conference, "presidency")
    sectors, indicators = make.reference()
    make.target(conference, sectors[0], indicators[0], 100, year=2033)
    with pytest.raises(FieldsInvalid, match="ne peut précéder 2033"):
        update_settings(president, conference, conference.version, {"horizon_year": 2030})


def test_stale_form_is_refused_with_what_changed(client, auth, make):
    conference = make.conference()
    first = make.member(conference, "presidency", user_obj=make.user(name="Alice Roux"))
    second = make.member(conference, "secretariat", user_obj=make.user(name="Bruno Petit"))
    db.session.commit()
    stale = _settings(conference, quorum_percent="80")  # read at version 1
    auth.login(second.email)
    assert client.post(f"/cop/{conference.id}/reglages",
                       data=_settings(conference, adoption_on="2027-05-01")).status_code == 302
    auth.logout()
    auth.login(first.email)
    response = client.post(f"/cop/{conference.id}/reglages", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Bruno Petit a modifié" in page and "date de l&#39;adoption" in page
    db.session.refresh(conference)
    assert conference.quorum_percent == 50 and conference.version == 2


def test_closed_cop_rules_do_not_change(make):
    from cop.conferences.services import update_settings
    from cop.errors import WrongPhase

    conference = make.conference(phase="closed")
    president = make.member(conference, "presidency")
    with pytest.raises(WrongPhase, match="Impossible en phase « Clôturée »"):
        update_settings(president, conference, conference.version, {"quorum_percent": 70})


# --- Parties ------------------------------------------------------------------------------------


def _manager_on_parties(make, phase="preparation"):
    conference = make.conference(phase=phase)
    president = make.member(conference, "presidency")
    return conference, president


def test_invite_all_epci_of_the_region_at_once_is_idempotent(client, auth, make):
    conference, president = _manager_on_parties(make)
    mine = [make.territory(region=conference.region) for _ in range(3)]
    make.territory(region=make.region("53", "Bretagne"))
    db.session.commit()
    auth.login(president.email)
    response = client.post(f"/cop/{conference.id}/parties/epci")
    assert response.status_code == 302
    assert "3 EPCI de la région invité(s)" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(f"/cop/{conference.id}/parties/epci")
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=conference.id)).all()
    assert sorted(p.territory_id for p in parties) == sorted(t.id for t in mine)
    assert {(p.kind, p.accreditation) for p in parties} == {("epci", "invited")}


def test_invite_region_organisation_and_territory_by_code(client, auth, make):
    conference, president = _manager_on_parties(make)
    neighbour = make.territory(code="200000172", name="CC Voisine", region=make.region("27", "BFC"))
    db.session.commit()
    auth.login(president.email)
    assert client.post(f"/cop/{conference.id}/parties/region").status_code == 302
    assert client.post(f"/cop/{conference.id}/parties/organisation",
                       data={"name": "Comité stratégique de filière Chimie", "kind": "sector_committee"}
                       ).status_code == 302
    assert client.post(f"/cop/{conference.id}/parties/territoire",
                       data={"kind": "epci", "code": neighbour.code}).status_code == 302
    kinds = {p.name: p.kind for p in db.session.scalars(db.select(Party))}
    assert kinds == {"Auvergne-Rhône-Alpes": "region", "Comité stratégique de filière Chimie": "sector_committee",
                     "CC Voisine": "epci"}
    again = client.post(f"/cop/{conference.id}/parties/region")
    assert again.status_code == 422 and "est déjà partie" in again.get_data(as_text=True)
    twin = client.post(f"/cop/{conference.id}/parties/organisation",
                       data={"name": "comité stratégique de filière chimie", "kind": "organisation"})
    assert twin.status_code == 422 and "existe déjà" in twin.get_data(as_text=True)
    assert _count(Party) == 3


@pytest.mark.parametrize("kind, code", [("epci", "123456789"), ("region", "99"), ("departement", "<script>")])
def test_unknown_territory_code_is_refused(client, auth, make, kind, code):
    conference, president = _manager_on_parties(make)
    db.session.commit()
    auth.login(president.email)
    response = client.post(f"/cop/{conference.id}/parties/territoire", data={"kind": kind, "code": code})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Aucun territoire de type" in page and "<script>" not in page
    assert _count(Party) == 0


def test_accredit_suspend_and_accredit_all(client, auth, make):
    conference, president = _manager_on_parties(make)
    first, second = make.party(conference, accreditation="invited"), make.party(conference, accreditation="invited")
    db.session.commit()
    auth.login(president.email)
    url = f"/cop/{conference.id}/parties/{first.id}/accreditation"
    assert client.post(url, data={"accreditation": "suspended"}).status_code == 302
    assert client.post(f"/cop/{conference.id}/parties/accreditation").status_code == 302
    assert client.post(url, data={"accreditation": "bientôt"}).status_code == 422
    db.session.expire_all()
    assert (first.accreditation, second.accreditation) == ("suspended", "accredited")


def test_delegate_cannot_manage_parties(client, auth, make):
    conference = make.conference()
    party = make.party(conference, accreditation="invited")
    head = make.member(conference, "head_of_delegation", party)
    make.territory(region=conference.region)
    db.session.commit()
    auth.login(head.email)
    assert client.get(f"/cop/{conference.id}/parties").status_code == 403
    assert client.post(f"/cop/{conference.id}/parties/epci").status_code == 403
    assert client.post(f"/cop/{conference.id}/parties/{party.id}/accreditation",
                       data={"accreditation": "accredited"}).status_code == 403
    db.session.expire_all()
    assert party.accreditation == "invited" and _count(Party) == 1


def test_no_new_parties_after_negotiation(make):
    from cop.conferences.parties import invite_organisation
    from cop.errors import WrongPhase

    conference, president = _manager_on_parties(make, phase="adoption")
    with pytest.raises(WrongPhase, match="Adoption"):
        invite_organisation(president, conference, "Bpifrance", "organisation")


def test_party_of_another_cop_is_not_found(client, make):
    first, second = make.conference(), make.conference(region_territory=make.region("53", "Bretagne"))
    party = make.party(second)
    db.session.commit()
    assert client.get(f"/cop/{first.id}/parties/{party.id}").status_code == 404
    assert client.get(f"/cop/{second.id}/parties/{party.id}").status_code == 200


# --- Pages --------------------------------------------------------------------------------------


def test_list_of_cops_shows_region_phase_and_parties(client, make):
    conference = make.conference(phase="call_for_commitments")
    make.party(conference)
    make.party(conference, accreditation="invited")
    db.session.commit()
    page = client.get("/cop/").get_data(as_text=True)
    assert conference.title in page and "Appel à engagements" in page and "2 dont 1 accréditées" in page
    assert "Ouvrir une COP" not in page


def test_overview_shows_phase_calendar_parties_and_targets(client, make):
    conference = make.conference(phase="negotiation", decision_mode="consensus", objection_window_seconds=90)
    epci = make.territory(region=conference.region, name="Métropole de Lyon", population=1_436_354,
                          legal_form="METRO")
    make.party(conference, epci)
    make.party(conference, name="Préfecture de région", kind="state")
    sectors, indicators = make.reference()
    make.target(conference, sectors[2], indicators[0], 1200)
    db.session.commit()
    page = client.get(f"/cop/{conference.id}").get_data(as_text=True)
    assert '<li aria-current="step">Négociation' in page
    assert "dispose de 1 min 30 s pour objecter" in page
    assert "Métropole de Lyon" in page and "1\u202f436\u202f354" in page and "Métropole" in page
    assert "Services de l'État" in page
    assert '<th scope="rowgroup" rowspan="1">Automobile</th>' in page
    assert "Calendrier et règles" not in page  # management links only for managers


def test_overview_paginates_parties_and_shows_management_links_to_managers(client, auth, make):
    conference = make.conference()
    for index in range(55):
        make.party(conference, name=f"Partie {index:02d}", kind="organisation")
    president = make.member(conference, "presidency")
    db.session.commit()
    auth.login(president.email)
    first = client.get(f"/cop/{conference.id}").get_data(as_text=True)
    assert "Partie 49" in first and "Partie 50" not in first and "Page 1 sur 2" in first
    assert "Calendrier et règles" in first and "Changer de phase" in first
    second = client.get(f"/cop/{conference.id}?page=2").get_data(as_text=True)
    assert "Partie 54" in second and "Partie 00" not in second


def test_party_page_is_public(client, make):
    conference = make.conference()
    epci = make.territory(region=conference.region, name="Grenoble-Alpes-Métropole", code="200040715",
                          population=450_608, legal_form="METRO")
    party = make.party(conference, epci)
    db.session.commit()
    page = client.get(f"/cop/{conference.id}/parties/{party.id}").get_data(as_text=True)
    assert "Grenoble-Alpes-Métropole" in page and "450\u202f608" in page and "200040715" in page
    assert "Accréditée" in page and "/territoires/epci/200040715" in page


def test_concurrent_write_between_read_and_save_is_a_conflict(make):
    from cop.conferences.services import update_settings
    from cop.errors import Conflict

    conference = make.conference()
    president = make.member(conference, "presidency")
    db.session.commit()
    assert conference.version == 1  # read now, as a request would
    # Another writer saves the COP after that read: the row's version moves under our feet.
    db.session.execute(db.update(Conference).values(version=2, quorum_percent=66)
                       .execution_options(synchronize_session=False))
    with pytest.raises(Conflict, match="vient d'être modifiée"):
        update_settings(president, conference, 1, {"quorum_percent": 70})
    db.session.expire_all()
    # The simulated writer shares this transaction, so the rollback of the refused save undoes it too.
    assert db.session.scalar(db.select(Conference.quorum_percent)) == 50
    assert _count(ConferenceRevision) == 0


def test_concurrent_invitation_of_the_same_epci_is_a_conflict(make, monkeypatch):
    from cop.conferences import parties
    from cop.errors import Conflict

    conference, president = _manager_on_parties(make)
    epci = make.territory(region=conference.region)
    make.party(conference, epci)
    db.session.commit()
    # The other request seated the EPCI after this one looked: the unique constraint has the last word.
    monkeypatch.setattr(parties, "_party_territory_ids", lambda conference: set())
    with pytest.raises(Conflict, match="en même temps"):
        parties.invite_all_epci(president, conference)
    assert _count(Party) == 1


@pytest.mark.parametrize("url", ["/cop/99999999999999999999", "/cop/2147483648/parties/1", "/cop/1/parties/2147483648"])
def test_huge_ids_are_not_found(client, make, url):
    make.conference()
    db.session.commit()
    assert client.get(url).status_code == 404
