"""Invitations in bulk from a CSV (all or nothing, every bad line listed), resent and cancelled while pending."""
import io
import re

import pytest

from cop.auth.models import AccountToken
from cop.db import db
from tests.commitment_helpers import build_world


@pytest.fixture
def world(make):
    w = build_world(make)
    db.session.commit()
    return w


def _post(client, world, text: str, encoding="utf-8"):
    return client.post(f"/cop/{world.conference.id}/invitations", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode(encoding)), "invites.csv"), "encoding": encoding})


def _pending():
    from cop.auth.services import is_aware
    from cop.db import utcnow

    db.session.expire_all()
    tokens = db.session.scalars(db.select(AccountToken).filter_by(purpose="invitation", used_dt=None)
                                .order_by(AccountToken.email)).all()
    return [token for token in tokens if is_aware(token.expires_dt) > utcnow()]


def test_a_good_file_invites_everyone(world, client, auth, caplog):
    auth.login("presidence@example.fr")
    text = ("nom;courriel;role;partie\r\nAline Roux;aline@example.fr;Délégué;CA du Bassin A\r\n"
            f"Marc Petit;marc@example.fr;delegate;{world.b.territory.code}\r\n"
            "Zoé Brun;zoe@example.fr;Observateur;\r\n")
    response = _post(client, world, text)
    assert response.status_code == 302
    tokens = _pending()
    assert [(t.email, t.role, t.party_id) for t in tokens] == [
        ("aline@example.fr", "delegate", world.a.id), ("marc@example.fr", "delegate", world.b.id),
        ("zoe@example.fr", "observer", None)]
    assert len(set(re.findall(r"/auth/invitation/\S+", caplog.text))) == 3    # one link each, in both languages


def test_a_file_with_bad_lines_invites_nobody_and_lists_each(world, client, auth):
    auth.login("presidence@example.fr")
    text = ("nom;courriel;role;partie\r\nAline Roux;aline@example.fr;Délégué;CA du Bassin A\r\n"
            ";sans-nom@example.fr;Délégué;CA du Bassin A\r\n"
            "Jo;jo@example.fr;roi;\r\n"
            "Al;al@example.fr;Délégué;Atlantide\r\n"
            "Aline bis;aline@example.fr;Délégué;CA du Bassin A\r\n"
            "Chef;chef2@example.fr;Chef de délégation;CA du Bassin A\r\n")
    response = _post(client, world, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Personne n’a été invité" in page
    for line, words in ((3, "nom est obligatoire"), (4, "rôle inconnu"), (5, "partie inconnue"),
                        (6, "figure deux fois"), (7, "déjà un chef de délégation")):
        assert f"ligne {line} : " in page and words in page
    assert "ligne 2 :" not in page and _pending() == []


@pytest.mark.parametrize("text, words", [
    ("email;name\r\na@example.fr;A\r\n", "colonne(s) manquante(s)"),
    ('nom;courriel;role\r\n"A;a@example.fr;Délégué\r\n', "CSV mal formé"),
])
def test_malformed_files_are_refused(world, client, auth, text, words):
    auth.login("presidence@example.fr")
    response = _post(client, world, text)
    assert response.status_code == 422 and words in response.get_data(as_text=True) and _pending() == []


@pytest.mark.parametrize("email", ["chef.a@example.fr", "observateur@example.fr"])
def test_only_the_presidency_and_secretariat_invite_in_bulk(world, client, auth, email):
    auth.login(email)
    assert _post(client, world, "nom;courriel;role\r\nA;a@example.fr;Observateur\r\n").status_code == 403
    assert _pending() == []


def test_resend_replaces_the_link_and_cancel_kills_it(world, client, auth, caplog):
    auth.login("presidence@example.fr")
    _post(client, world, "nom;courriel;role;partie\r\nAline;aline@example.fr;Délégué;CA du Bassin A\r\n")
    first_link = caplog.text.rsplit("/auth/invitation/", 1)[1].split()[0]
    token = _pending()[0]
    base = f"/cop/{world.conference.id}/invitations/{token.id}"
    assert client.post(f"{base}/renvoyer").status_code == 302
    second_link = caplog.text.rsplit("/auth/invitation/", 1)[1].split()[0]
    assert second_link != first_link
    assert client.get(f"/auth/invitation/{first_link}").status_code == 410
    assert client.get(f"/auth/invitation/{second_link}").status_code == 200
    assert client.post(f"{base}/annuler").status_code == 404             # the old invitation is no longer pending
    new = _pending()[0]
    assert client.post(f"/cop/{world.conference.id}/invitations/{new.id}/annuler").status_code == 302
    assert client.get(f"/auth/invitation/{second_link}").status_code == 410
    assert "aline@example.fr" not in client.get(f"/cop/{world.conference.id}/invitations").get_data(as_text=True)


def test_a_party_cannot_cancel_an_invitation(world, client, auth):
    auth.login("presidence@example.fr")
    _post(client, world, "nom;courriel;role;partie\r\nAline;aline@example.fr;Délégué;CA du Bassin A\r\n")
    token = _pending()[0]
    auth.logout()
    auth.login("chef.a@example.fr")
    assert client.post(f"/cop/{world.conference.id}/invitations/{token.id}/annuler").status_code == 403
    assert len(_pending()) == 1
