"""Immediate messages or a daily digest, the one-link unsubscribe (RFC 8058) and its attacks, and the messages
that open an account in the recipient's language — through a real SMTP server."""
import re
from datetime import datetime, timedelta, timezone

from cop.auth.models import AccountToken, User
from cop.db import db
from cop.notify import preferences, worker
from cop.notify.models import OutboxMessage
from tests.commitment_helpers import draft_input, file
from tests.test_mail import _path, _text, smtp, world  # noqa: F401 — fixtures


def _unsubscribe_path(message) -> str:
    return re.search(r"http://[^/\s]+(/desabonnement/\S+)", _text(message)).group(1)


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


def test_every_notice_carries_one_click_unsubscribe_and_a_get_changes_nothing(world, smtp, client):
    file(world, world.a, "automobile", draft_input("100"), accept=False)
    db.session.commit()
    worker.run_once()
    message = smtp.by_to("chef.a@example.fr")[0]
    path = _unsubscribe_path(message)
    assert message["List-Unsubscribe"].strip() == f"<http://127.0.0.1:5000{path}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = client.get(path)                                   # a mail scanner's prefetch: nothing changes
    assert page.status_code == 200 and "Me désabonner" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer" and "no-store" in page.headers["Cache-Control"]
    assert _user("chef.a@example.fr").unsubscribed_dt is None
    # The mail client's one-click POST: no login, no CSRF token, the RFC 8058 body.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "ne recevra plus" in done.get_data(as_text=True)
    db.session.expire_all()
    assert _user("chef.a@example.fr").unsubscribed_dt is not None
    assert client.post(path).status_code == 200                # twice: "already", nothing breaks
    file(world, world.a, "bois", draft_input("5"), accept=False)
    db.session.commit()
    assert not [k for k in db.session.scalars(db.select(OutboxMessage.key)) if k.endswith(":%d" % world.head_a.id)
                and "bois" in k]
    smtp.messages.clear()
    worker.run_once()
    assert not smtp.by_to("chef.a@example.fr") and smtp.by_to("delegue.a@example.fr")    # others still get it


def test_forged_altered_and_foreign_tokens(world, client, auth):
    a, b = _user("chef.a@example.fr"), _user("chef.b@example.fr")
    good = preferences.token(a)
    for bad in ("nimporte-quoi", good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
                good.replace(good.split(".")[0], preferences.token(b).split(".")[0])):
        assert client.get(f"/desabonnement/{bad}").status_code == 404
        assert client.post(f"/desabonnement/{bad}").status_code == 404
    auth.login("chef.b@example.fr")                          # B, logged in, uses A's link: it acts on A only
    assert client.post(f"/desabonnement/{good}").status_code == 200
    db.session.expire_all()
    assert a.unsubscribed_dt is not None and b.unsubscribed_dt is None


def test_resubscribe_on_the_account_page_retires_old_links(world, smtp, client, auth):
    user = _user("chef.b@example.fr")
    old = preferences.token(user)
    assert client.post(f"/desabonnement/{old}").status_code == 200
    auth.login("chef.b@example.fr")
    page = client.get("/auth/compte").get_data(as_text=True)
    assert "Vous êtes désabonné·e" in page and "demande de signature" in page
    assert re.search(r'<input checked[^>]*value="none"', page)
    assert client.post("/auth/compte/courriels", data={"choice": "immediate"}).status_code == 302
    db.session.expire_all()
    assert user.unsubscribed_dt is None
    replay = client.post(f"/desabonnement/{old}")             # an old message's link, replayed
    assert replay.status_code == 410 and "réabonnement" in replay.get_data(as_text=True)
    db.session.expire_all()
    assert user.unsubscribed_dt is None
    assert client.post("/auth/compte/courriels", data={"choice": "weekly"}).status_code == 302
    db.session.expire_all()
    assert user.mail_mode == "immediate"                       # refused, unchanged
    auth.logout()
    assert client.post("/auth/compte/courriels", data={"choice": "none"}).status_code == 302   # to the login
    db.session.expire_all()
    assert user.unsubscribed_dt is None


def test_daily_digest_holds_notices_and_lists_changes_once_a_day(app, world, smtp, client, auth):
    auth.login("chef.b@example.fr")                            # reads English
    client.post("/auth/compte/courriels", data={"choice": "digest"})
    auth.logout()
    auth.login("chef.a@example.fr")
    client.post("/auth/compte/courriels", data={"choice": "digest"})
    db.session.expire_all()
    start = datetime.now(timezone.utc)
    file(world, world.b, "bois", draft_input("5"), accept=False)             # B's own notice, held
    file(world, world.a, "automobile", draft_input("100"), accept=False)
    db.session.commit()
    assert worker.run_once()["sent"] == 1                 # A's delegate, immediate; both heads' notices held
    assert not smtp.by_to("chef.b@example.fr")
    morning = start.replace(hour=app.config["COP_DIGEST_HOUR"], minute=5) + timedelta(days=1)
    counts = worker.tick(morning)
    assert counts["digests"] == 2
    assert worker.tick(morning + timedelta(hours=3))["digests"] == 0         # once a day
    worker.run_once()
    english = smtp.by_to("chef.b@example.fr")[0]
    assert english["Subject"] == "What changed since your last visit" and english["Content-Language"] == "en"
    assert "Version 1 of “Wood” received" in _text(english)                  # the held notice
    assert "List-Unsubscribe" in english
    held = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.key.startswith("commitment."),
                                                            OutboxMessage.to_address == "chef.b@example.fr"))
    assert held.delivery == "digest" and held.sent_dt is not None
    french = smtp.by_to("chef.a@example.fr")[0]
    assert french["Subject"] == "Ce qui a changé depuis votre dernière visite"
    assert "Engagements déposés dans vos filières" in _text(french) and "Automobile, version 1" in _text(french)
    smtp.messages.clear()
    assert worker.tick(morning + timedelta(days=1))["quiet"] == 2           # nothing changed: nothing sent
    worker.run_once()
    assert not smtp.messages
    file(world, world.b, "automobile", draft_input("7"), accept=False)       # held again…
    db.session.commit()
    assert worker.run_once()["sent"] == 0
    auth.logout()
    auth.login("chef.b@example.fr")
    client.post("/auth/compte/courriels", data={"choice": "immediate"})    # …and released by the switch
    assert worker.run_once()["sent"] == 1
    assert smtp.by_to("chef.b@example.fr")[0]["Subject"] == "Version 1 of “Automotive” received"


def test_invitation_in_the_chosen_language_with_the_other_below_and_reset_in_the_accounts(world, smtp, client,
                                                                                            auth):
    auth.login("presidence@example.fr")
    client.post(f"/cop/{world.conference.id}/parties/{world.b.id}/delegation/invitations",
                data={"email": "new@example.org", "role": "delegate", "language": "en"})
    client.post(f"/cop/{world.conference.id}/parties/{world.b.id}/delegation/invitations",
                data={"email": "nouveau@example.fr", "role": "delegate"})
    auth.logout()
    client.post("/auth/mot-de-passe-oublie", data={"email": "chef.b@example.fr"}).close()
    client.post("/auth/mot-de-passe-oublie", data={"email": "chef.a@example.fr"}).close()
    worker.run_once()
    english = smtp.by_to("new@example.org")[0]
    body = _text(english)
    assert english["Subject"].startswith("Invitation: ") and english["Content-Language"] == "en"
    assert body.index("invites you to join") < body.index("vous invite à rejoindre")
    assert "List-Unsubscribe" not in english                                 # mandatory
    french = smtp.by_to("nouveau@example.fr")[0]
    assert french["Subject"].startswith("Invitation : ")
    assert _text(french).index("vous invite") < _text(french).index("invites you")
    reset_en = smtp.by_to("chef.b@example.fr")[0]
    assert reset_en["Subject"] == "Resetting your password" and "To choose a new password" in _text(reset_en)
    reset_fr = smtp.by_to("chef.a@example.fr")[0]
    assert reset_fr["Subject"] == "Réinitialisation de votre mot de passe"
    assert client.get(_path(_text(reset_en))).status_code == 200


def test_bulk_invitations_and_resend_keep_each_line_language(world, smtp, client, auth):
    from tests.test_bulk_invitations import _post

    auth.login("presidence@example.fr")
    bad = _post(client, world, "nom;courriel;role;partie;langue\r\nAna Bel;ana@example.org;Observateur;;de\r\n")
    assert bad.status_code == 422 and "langue inconnue « de »" in bad.get_data(as_text=True)
    text = ("nom;courriel;role;partie;langue\r\nAna Bel;ana@example.org;Observateur;;en\r\n"
            "Paul Roy;paul@example.fr;Observateur;;\r\n")
    assert _post(client, world, text).status_code == 302
    worker.run_once()
    assert smtp.by_to("ana@example.org")[0]["Subject"].startswith("Invitation: ")
    assert smtp.by_to("paul@example.fr")[0]["Subject"].startswith("Invitation : ")
    token = db.session.scalar(db.select(AccountToken).filter_by(email="ana@example.org"))
    assert token.language == "en"
    assert client.post(f"/cop/{world.conference.id}/invitations/{token.id}/renvoyer").status_code == 302
    worker.run_once()
    again = smtp.by_to("ana@example.org")
    assert len(again) == 2 and again[1]["Content-Language"] == "en"
