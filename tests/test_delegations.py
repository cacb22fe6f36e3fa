"""Invitations and delegation pages: who sees a delegation, who invites, accredits and lets delegates file."""
import re
from datetime import timedelta

import pytest

from cop.audit.models import AuditEvent
from cop.auth.models import AccountToken, User
from cop.conferences.models import Membership
from cop.db import db, utcnow
from tests.factories import PASSWORD
from tests.fresh_client import link, make_client, sync

NEW_PASSWORD = "une-phrase-de-passe"


@pytest.fixture
def client(app):
    """A browser whose requests do not share `g` or the database session with the test."""
    return make_client(app)


@pytest.fixture
def cop(make):
    """A COP with its presidency, secretariat, two parties with their heads and delegates, and a free observer."""
    conference = make.conference()
    grenoble = make.party(conference, name="Grenoble-Alpes Métropole", kind="epci")
    lyon = make.party(conference, name="Métropole de Lyon", kind="epci")
    people = {
        "presidency": make.member(conference, "presidency", user_obj=make.user(email="presidence@example.fr")),
        "secretariat": make.member(conference, "secretariat", user_obj=make.user(email="secretariat@example.fr")),
        "head": make.member(conference, "head_of_delegation", grenoble,
                            make.user(email="chef@example.fr", name="Chef Grenoble")),
        "delegate": make.member(conference, "delegate", grenoble,
                                make.user(email="delegue@example.fr", name="Délégué Grenoble"), is_accredited=False),
        "other_head": make.member(conference, "head_of_delegation", lyon, make.user(email="chef.lyon@example.fr")),
        "other_delegate": make.member(conference, "delegate", lyon, make.user(email="delegue.lyon@example.fr")),
        "observer": make.member(conference, "observer", user_obj=make.user(email="observateur@example.fr")),
    }
    sync()
    return conference, grenoble, lyon, people


def _login(client, email, password=PASSWORD):
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 302, email
    return client


def _count(model, *where) -> int:
    sync()
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def _membership(user_id: int) -> Membership:
    sync()
    return db.session.scalar(db.select(Membership).filter_by(user_id=user_id))


def _invite(client, conference, party, email, role):
    url = (f"/cop/{conference.id}/parties/{party.id}/delegation/invitations" if party
           else f"/cop/{conference.id}/equipe/invitations")
    return client.post(url, data={"email": email, "role": role})


# The delegation page ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["head", "delegate", "presidency", "secretariat"])
def test_delegation_page_is_seen_by_its_members_and_the_managers(client, cop, who):
    conference, grenoble, _, people = cop
    _login(client, people[who].email)
    response = client.get(f"/cop/{conference.id}/parties/{grenoble.id}/delegation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<h1>") == 1 and "Délégation : Grenoble-Alpes Métropole" in page
    assert "Chef Grenoble" in page and "Délégué Grenoble" in page and "Non accrédité·e" in page
    assert "chef.lyon@example.fr" not in page
    assert '<th scope="col">' in page and "<caption>" in page


@pytest.mark.parametrize("who", ["other_head", "other_delegate", "observer"])
def test_delegation_page_is_403_for_other_parties_and_observers(client, cop, who):
    conference, grenoble, _, people = cop
    _login(client, people[who].email)
    response = client.get(f"/cop/{conference.id}/parties/{grenoble.id}/delegation")
    assert response.status_code == 403
    assert "Délégué Grenoble" not in response.get_data(as_text=True)


def test_delegation_page_asks_anonymous_visitors_to_log_in(client, cop):
    conference, grenoble, _, _ = cop
    response = client.get(f"/cop/{conference.id}/parties/{grenoble.id}/delegation")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_party_of_another_conference_is_404(client, cop, make):
    conference, _, _, people = cop
    elsewhere = make.party(make.conference(make.region("53", "Bretagne")), name="Brest Métropole")
    sync()
    _login(client, people["presidency"].email)
    assert client.get(f"/cop/{conference.id}/parties/{elsewhere.id}/delegation").status_code == 404
    assert client.get(f"/cop/{conference.id}/parties/999999/delegation").status_code == 404


def test_head_sees_filing_switches_but_not_accreditation(client, cop):
    conference, grenoble, _, people = cop
    _login(client, people["head"].email)
    page = client.get(f"/cop/{conference.id}/parties/{grenoble.id}/delegation").get_data(as_text=True)
    assert "Autoriser à déposer et voter" in page
    assert "Accréditer" not in page and "Inviter une personne" not in page


def test_delegate_sees_no_switch(client, cop):
    conference, grenoble, _, people = cop
    _login(client, people["delegate"].email)
    page = client.get(f"/cop/{conference.id}/parties/{grenoble.id}/delegation").get_data(as_text=True)
    assert "Autoriser à déposer" not in page and "Accréditer" not in page
    assert 'action="/cop' not in page


# Filing rights and accreditation ----------------------------------------------------------------------------

def test_head_lets_a_delegate_file_and_vote_then_stops_it(client, cop):
    conference, grenoble, _, people = cop
    delegate = _membership(people["delegate"].id)
    _login(client, people["head"].email)
    url = f"/cop/{conference.id}/membres/{delegate.id}/vote"
    response = client.post(url, data={"value": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cop/{conference.id}/parties/{grenoble.id}/delegation"
    assert _membership(people["delegate"].id).may_file is True
    assert _count(AuditEvent, AuditEvent.action == "membership.may_file_set") == 1
    client.post(url, data={"value": "0"})
    assert _membership(people["delegate"].id).may_file is False


@pytest.mark.parametrize("who", ["other_head", "other_delegate", "delegate", "observer"])
def test_others_cannot_change_filing_rights(client, cop, who):
    conference, _, _, people = cop
    delegate = _membership(people["delegate"].id)
    _login(client, people[who].email)
    response = client.post(f"/cop/{conference.id}/membres/{delegate.id}/vote", data={"value": "1"})
    assert response.status_code == 403
    assert _membership(people["delegate"].id).may_file is False
    assert _count(AuditEvent) == 0


@pytest.mark.parametrize("who, value", [("head", "1"), ("other_delegate", "1"), ("delegate", "yes"), ("delegate", "")])
def test_filing_rights_refuse_non_delegates_and_bad_values(client, cop, who, value):
    conference, _, _, people = cop
    target = _membership(people[who].id)
    _login(client, people["head"].email if who == "delegate" else people["presidency"].email)
    response = client.post(f"/cop/{conference.id}/membres/{target.id}/vote", data={"value": value})
    if who == "other_delegate":  # the presidency may: it manages every delegation
        assert response.status_code == 302 and _membership(people[who].id).may_file is True
        return
    assert response.status_code == 422
    assert _membership(people[who].id).may_file is False


def test_presidency_accredits_a_delegate(client, cop):
    conference, _, _, people = cop
    delegate = _membership(people["delegate"].id)
    _login(client, people["secretariat"].email)
    response = client.post(f"/cop/{conference.id}/membres/{delegate.id}/accreditation", data={"value": "1"})
    assert response.status_code == 302
    assert _membership(people["delegate"].id).is_accredited is True
    assert _count(AuditEvent, AuditEvent.action == "membership.accreditation_set") == 1


@pytest.mark.parametrize("who", ["head", "delegate", "other_head", "observer"])
def test_only_managers_accredit(client, cop, who):
    conference, _, _, people = cop
    delegate = _membership(people["delegate"].id)
    _login(client, people[who].email)
    response = client.post(f"/cop/{conference.id}/membres/{delegate.id}/accreditation", data={"value": "1"})
    assert response.status_code == 403
    assert _membership(people["delegate"].id).is_accredited is False


def test_member_of_another_conference_is_404(client, cop, make):
    conference, _, _, people = cop
    stranger = make.member(make.conference(make.region("53", "Bretagne")), "delegate",
                           make.party(make.conference(make.region("28", "Normandie")), name="Caen la mer"))
    sync()
    membership = _membership(stranger.id)
    _login(client, people["presidency"].email)
    response = client.post(f"/cop/{conference.id}/membres/{membership.id}/accreditation", data={"value": "1"})
    assert response.status_code == 404


# Invitations ------------------------------------------------------------------------------------------------

def test_presidency_invites_a_delegate_and_the_link_is_logged(client, cop, caplog):
    conference, grenoble, _, people = cop
    _login(client, people["presidency"].email)
    response = _invite(client, conference, grenoble, " Nouvelle.Deleguee@Example.fr", "delegate")
    assert response.status_code == 302
    assert "/auth/invitation/" in caplog.text and "nouvelle.deleguee@example.fr" in caplog.text
    assert "aucun serveur SMTP" in caplog.text
    token = db.session.scalar(db.select(AccountToken))
    assert (token.purpose, token.email, token.role, token.party_id) == (
        "invitation", "nouvelle.deleguee@example.fr", "delegate", grenoble.id)
    page = client.get(f"/cop/{conference.id}/parties/{grenoble.id}/delegation").get_data(as_text=True)
    assert "Invitations en attente" in page and "nouvelle.deleguee@example.fr" in page


@pytest.mark.parametrize("who", ["head", "delegate", "other_head", "observer"])
def test_non_managers_cannot_invite(client, cop, caplog, who):
    conference, grenoble, _, people = cop
    _login(client, people[who].email)
    response = _invite(client, conference, grenoble, "intrus@example.fr", "delegate")
    assert response.status_code == 403
    assert _count(AccountToken) == 0 and "/auth/invitation/" not in caplog.text


def test_anonymous_cannot_invite(client, cop):
    conference, grenoble, _, _ = cop
    response = _invite(client, conference, grenoble, "intrus@example.fr", "delegate")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert _count(AccountToken) == 0


def test_secretariat_cannot_invite_the_presidency_but_the_presidency_can(client, cop):
    conference, _, _, people = cop
    _login(client, people["secretariat"].email)
    page = client.get(f"/cop/{conference.id}/equipe").get_data(as_text=True)
    assert 'value="observer"' in page and 'value="presidency"' not in page
    assert _invite(client, conference, None, "vice@example.fr", "presidency").status_code == 422
    assert _count(AccountToken) == 0
    other = make_client(client.application)
    _login(other, people["presidency"].email)
    assert _invite(other, conference, None, "vice@example.fr", "secretariat").status_code == 302
    assert _count(AccountToken, AccountToken.role == "secretariat") == 1


@pytest.mark.parametrize("email, role, status, message", [
    ("pas-une-adresse", "delegate", 422, "Adresse électronique invalide."),
    ("", "delegate", 422, "Indiquez l&#39;adresse électronique"),
    ("x@example.fr", "presidency", 422, "Choisissez un rôle dans la liste."),
    ("x@example.fr", "admin", 422, "Choisissez un rôle dans la liste."),
    ("delegue.lyon@example.fr", "delegate", 409, "est déjà membre de cette COP"),
    ("x@example.fr", "head_of_delegation", 409, "a déjà un chef de délégation : Chef Grenoble"),
])
def test_invitation_refusals_write_nothing(client, cop, email, role, status, message):
    conference, grenoble, _, people = cop
    _login(client, people["presidency"].email)
    response = _invite(client, conference, grenoble, email, role)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert _count(AccountToken) == 0 and _count(AuditEvent) == 0


def test_closed_conference_takes_no_invitation(client, cop):
    conference, grenoble, _, people = cop
    conference.phase = "closed"
    db.session.commit()
    _login(client, people["presidency"].email)
    response = _invite(client, conference, grenoble, "tard@example.fr", "delegate")
    assert response.status_code == 409 and "clôturée" in response.get_data(as_text=True)
    assert _count(AccountToken) == 0


def _invited(client, cop, caplog, email="nouvelle@example.fr", role="delegate", party="grenoble"):
    """Have the presidency invite someone; return the link's secret."""
    conference, grenoble, lyon, people = cop
    presidency = make_client(client.application)
    _login(presidency, people["presidency"].email)
    target = {"grenoble": grenoble, "lyon": lyon, None: None}[party]
    assert _invite(presidency, conference, target, email, role).status_code == 302
    return link(caplog, "/auth/invitation/")


def test_invitee_without_account_creates_it_and_joins(client, cop, caplog):
    conference, grenoble, _, _ = cop
    secret = _invited(client, cop, caplog)
    page = client.get(f"/auth/invitation/{secret}").get_data(as_text=True)
    assert "Créer votre compte" in page and "Délégué" in page and "Grenoble-Alpes Métropole" in page
    response = client.post(f"/auth/invitation/{secret}", data={
        "name": "Nora Benali", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cop/{conference.id}/parties/{grenoble.id}/delegation"
    user = db.session.scalar(db.select(User).filter_by(email="nouvelle@example.fr"))
    membership = _membership(user.id)
    assert (user.name, membership.role, membership.party_id, membership.may_file, membership.is_accredited) == (
        "Nora Benali", "delegate", grenoble.id, False, False)
    assert db.session.scalar(db.select(AccountToken)).used_dt is not None
    welcome = client.get(response.headers["Location"])
    assert welcome.status_code == 200
    assert "votre rôle dans « COP industrielle" in welcome.get_data(as_text=True)
    assert _count(AuditEvent, AuditEvent.action == "membership.joined") == 1


def test_invitee_with_account_confirms_with_password(client, cop, caplog, make):
    make.user(email="deja@example.fr", name="Déjà Inscrite")
    sync()
    secret = _invited(client, cop, caplog, email="deja@example.fr", role="observer", party="lyon")
    page = client.get(f"/auth/invitation/{secret}").get_data(as_text=True)
    assert "Un compte existe déjà" in page and 'name="name"' not in page
    wrong = client.post(f"/auth/invitation/{secret}", data={"password": "pas-le-bon-mot"})
    assert wrong.status_code == 401
    assert _count(Membership, Membership.role == "observer", Membership.party_id.is_not(None)) == 0
    assert db.session.scalar(db.select(AccountToken)).used_dt is None
    response = client.post(f"/auth/invitation/{secret}", data={"password": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).filter_by(email="deja@example.fr"))
    assert _membership(user.id).role == "observer"
    assert client.get("/auth/compte").status_code == 200


def test_logged_in_invitee_only_confirms(client, cop, caplog, make):
    make.user(email="deja@example.fr", name="Déjà Inscrite")
    sync()
    secret = _invited(client, cop, caplog, email="deja@example.fr", role="secretariat", party=None)
    _login(client, "deja@example.fr")
    page = client.get(f"/auth/invitation/{secret}").get_data(as_text=True)
    assert "Vous êtes connecté en tant que Déjà Inscrite" in page and 'name="password"' not in page
    assert client.post(f"/auth/invitation/{secret}").status_code == 302
    user = db.session.scalar(db.select(User).filter_by(email="deja@example.fr"))
    membership = _membership(user.id)
    assert (membership.role, membership.party_id, membership.is_accredited) == ("secretariat", None, True)


def test_reused_invitation_is_refused_and_writes_nothing(client, cop, caplog):
    secret = _invited(client, cop, caplog)
    client.post(f"/auth/invitation/{secret}", data={"name": "Nora", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    users, memberships = _count(User), _count(Membership)
    again = make_client(client.application)
    for method in (again.get, again.post):
        response = method(f"/auth/invitation/{secret}", data={"name": "Autre", "password": NEW_PASSWORD,
                                                              "confirm": NEW_PASSWORD})
        assert response.status_code == 410
        assert "déjà été utilisé" in response.get_data(as_text=True)
    assert (_count(User), _count(Membership)) == (users, memberships)


def test_expired_invitation_is_refused_and_writes_nothing(client, cop, caplog):
    secret = _invited(client, cop, caplog)
    token = db.session.scalar(db.select(AccountToken))
    token.expires_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    users, memberships = _count(User), _count(Membership)
    response = client.post(f"/auth/invitation/{secret}", data={
        "name": "Nora", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.get_data(as_text=True)
    assert (_count(User), _count(Membership)) == (users, memberships)
    assert db.session.scalar(db.select(AccountToken)).used_dt is None


@pytest.mark.parametrize("secret", ["inconnu", "a" * 43])
def test_unknown_invitation_is_404(client, cop, secret):
    response = client.get(f"/auth/invitation/{secret}")
    assert response.status_code == 404
    assert "Ce lien n&#39;est pas valide" in response.get_data(as_text=True)


def test_reset_link_is_not_an_invitation(client, cop, caplog):
    _, _, _, people = cop
    client.post("/auth/mot-de-passe-oublie", data={"email": people["head"].email}).close()
    secret = link(caplog, "/auth/mot-de-passe/")
    assert client.get(f"/auth/invitation/{secret}").status_code == 404


def test_invitee_who_became_member_meanwhile_is_refused(client, cop, caplog, make):
    conference, _, lyon, _ = cop
    make.user(email="deja@example.fr")
    sync()
    secret = _invited(client, cop, caplog, email="deja@example.fr")
    user = db.session.scalar(db.select(User).filter_by(email="deja@example.fr"))
    make.member(conference, "observer", lyon, user)
    db.session.commit()
    response = client.post(f"/auth/invitation/{secret}", data={"password": PASSWORD})
    assert response.status_code == 409
    assert "est déjà membre de cette COP" in response.get_data(as_text=True)
    assert _membership(user.id).role == "observer"
    assert db.session.scalar(db.select(AccountToken)).used_dt is None


def test_second_head_of_delegation_is_refused_at_acceptance(client, cop, caplog, make):
    conference, _, _, people = cop
    saint_etienne = make.party(conference, name="Saint-Étienne Métropole", kind="epci")
    sync()
    presidency = _login(make_client(client.application), people["presidency"].email)
    for email in ("chef2@example.fr", "chef3@example.fr"):
        assert _invite(presidency, conference, saint_etienne, email, "head_of_delegation").status_code == 302
    first, second = _links(caplog)
    second_accepts = client.post(f"/auth/invitation/{second}", data={
        "name": "Chef Trois", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert second_accepts.status_code == 302
    late = make_client(client.application)
    response = late.post(f"/auth/invitation/{first}", data={
        "name": "Chef Deux", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 409
    assert "a déjà un chef de délégation : Chef Trois" in response.get_data(as_text=True)
    assert _count(User, User.email == "chef2@example.fr") == 0
    assert _count(Membership, Membership.party_id == saint_etienne.id) == 1


def _links(caplog) -> list[str]:
    """Each invitation's link once (it is written in both languages)."""
    return list(dict.fromkeys(re.findall(r"/auth/invitation/([A-Za-z0-9_\-]+)", caplog.text)))


def test_staff_page_is_for_managers_only(client, cop):
    conference, _, _, people = cop
    _login(client, people["head"].email)
    assert client.get(f"/cop/{conference.id}/equipe").status_code == 403
    assert _invite(client, conference, None, "x@example.fr", "observer").status_code == 403
    assert _count(AccountToken) == 0
