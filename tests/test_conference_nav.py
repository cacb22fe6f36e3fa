"""The COP overview leads to every part of the COP, and to what the reader's role opens."""
from cop.db import db


def _page(client, conference):
    return client.get(f"/cop/{conference.id}").get_data(as_text=True)


def test_everyone_sees_the_public_sections(client, make):
    conference = make.conference(phase="call_for_commitments")
    db.session.commit()
    page = _page(client, conference)
    for path in ("/engagements", "/synthese", "/feuille-de-route", "/bilan", "/contrats",
                 f"/meetings/cop/{conference.id}", f"/portail/cop/{conference.id}"):
        assert path in page
    assert "Ma délégation" not in page and "Engagements à examiner" not in page


def test_a_delegate_sees_links_to_their_own_party_only(client, auth, make):
    conference = make.conference(phase="call_for_commitments")
    mine, other = make.party(conference), make.party(conference)
    user = make.member(conference, "head_of_delegation", mine)
    db.session.commit()
    auth.login(user.email)
    page = _page(client, conference)
    assert f"/parties/{mine.id}/delegation" in page and f"/parties/{mine.id}/engagements" in page
    assert f"/parties/{other.id}/delegation" not in page
    assert "Engagements à examiner" not in page


def test_the_secretariat_sees_the_review_queue(client, auth, make):
    conference = make.conference(phase="call_for_commitments")
    user = make.member(conference, "secretariat")
    db.session.commit()
    auth.login(user.email)
    page = _page(client, conference)
    assert "/engagements/a-examiner" in page and "/equipe" in page
