"""Sealed, then revealed, for whole commitments and registry sites: one mechanism with the projects' (cop/seals).

The successes (the hidden fields wait in the vault, the figures count, the party keeps editing its real text, the
reveal puts it back and verifies, the presidency reveals at the date after warning) and the refusals (another party,
wrong phase, already published, reveal twice, missing or past date, hostile input, CSRF, a tampered vault)."""
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cop.audit.models import AuditEvent
from cop.commitments import services, submission, synthesis
from cop.commitments.models import Commitment
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from cop.notify.models import OutboxMessage
from cop.seals import digest, operations as seals, schedule
from cop.seals.verify import verify_all
from cop.sites import operations as site_operations
from cop.sites.models import RegistrySite
from tests import seal_helpers
from tests.commitment_helpers import build_world, draft_input, file
from tests.fresh_client import sync
from tests.test_auth import csrf_app  # noqa: F401  (a fixture)

MARKER = "ZQX-SCEAU-5521"


def _sealed(world, accept=True, **draft):
    return seal_helpers.sealed_commitment(world.head_a, world.a, world.sectors["automobile"], world.presidency,
                                          MARKER, accept=accept, commune="69123", **draft)


def _site(world):
    return seal_helpers.sealed_site(world.presidency, world.conference, world.commune_a, MARKER)


def test_a_sealed_commitment_keeps_its_texts_and_places_in_its_vault_and_its_figures_count(make):
    world = build_world(make)
    commitment = _sealed(world)
    db.session.commit()
    version = commitment.versions[0]
    assert commitment.is_hidden and version.status == "accepted" and len(commitment.seal_salt) == 32
    assert (version.scope, version.actions, version.sites, version.support_requests[0].purpose) == ("", "", [], "")
    assert MARKER not in json.dumps({k: str(v) for k, v in vars(version).items()})
    hidden = seals.vault(commitment)
    assert MARKER in hidden["versions"][0]["texts"]["scope"] and hidden["versions"][0]["sites"][0]["commune"] == {
        "code": "69123", "name": "Lyon"}
    assert commitment.seal_digest == digest.digest(commitment.seal_salt, hidden)
    row = next(r for r in synthesis.compute(world.conference).rows if r.indicator.code == "jobs-created")
    assert (row.unconditional, row.conditional) == (Decimal(250), Decimal(300))
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("commitment.%"))).all()
    assert {"commitment.sealed", "commitment.resealed"} <= {e.action for e in events}
    assert all(MARKER not in json.dumps(e.data, ensure_ascii=False) for e in events)


def test_the_party_edits_its_real_text_and_each_new_version_joins_the_vault(make):
    world = build_world(make)
    commitment = _sealed(world)
    first_seal, salt = commitment.seal_digest, commitment.seal_salt
    draft = services.open_draft(world.head_a, commitment)
    assert MARKER in draft.scope and draft.sites[0].name == f"Friche {MARKER}"  # the party's own draft, from the vault
    data = seal_helpers.sealed_draft(MARKER, value="260", commune="69123")
    services.save_draft(world.head_a, commitment, commitment.version, data)
    submission.submit(world.head_a, commitment, commitment.version)
    db.session.commit()
    assert draft.scope == "" and commitment.seal_salt == salt and commitment.seal_digest != first_seal
    assert [v["number"] for v in seals.vault(commitment)["versions"]] == [1, 2]
    assert first_seal in seals.past_seals(commitment)
    seals.reveal(world.head_a, commitment)
    db.session.commit()
    assert MARKER in draft.scope and MARKER in commitment.versions[0].support_requests[0].purpose
    assert commitment.seal_vault is None and verify_all(world.conference.id) == (1, 1, [])


def test_a_sealed_site_hides_what_identifies_it_and_keeps_what_an_investor_searches(make):
    world = build_world(make)
    site = _site(world)
    db.session.commit()
    assert (site.name, site.owner, site.description, site.commune_id) == ("", "", "", None)
    assert (site.departement_code, site.hectares, site.power_mw, site.rail_access) == ("69", 42, 12, True)
    registered = db.session.scalar(db.select(AuditEvent).filter_by(action="site.registered"))
    assert MARKER not in json.dumps(registered.data, ensure_ascii=False)
    with pytest.raises(Conflict):  # a sealed site is not edited until it is revealed
        site_operations.update(world.presidency, site, site.version, site_operations.SiteInput(
            name="Autre", commune=world.commune_a, hectares=Decimal(1), status="ready"))
    seals.reveal(world.presidency, site)
    db.session.commit()
    assert (site.name, site.commune.code, site.owner) == (f"Site {MARKER}", "69123", f"Propriétaire {MARKER}")
    assert verify_all(world.conference.id) == (1, 1, [])


def test_who_may_seal_reveal_and_read(make):
    world = build_world(make)
    other = world.sectors[next(code for code in world.sectors if code != "automobile")]
    services.declare_priority(world.head_a, world.a, other, "Un tissu industriel.")
    commitment = services.start_commitment(world.head_a, world.a, other)
    for intruder in (world.head_b, world.assistant_a, world.observer):
        with pytest.raises(Forbidden):
            seals.seal(intruder, commitment, "Secret", seal_helpers.FAR)
    with pytest.raises(Forbidden):  # a site is the managers'
        seal_helpers.sealed_site(world.head_a, world.conference, world.commune_a, MARKER)
    assert not commitment.is_sealed
    commitment = _sealed(world)
    site = _site(world)
    db.session.commit()
    for obj, intruders in ((commitment, (world.head_b, world.observer, world.presidency)),
                           (site, (world.head_a, world.head_b, world.observer))):
        for intruder in intruders:
            with pytest.raises(Forbidden):
                seals.reveal(intruder, obj)
    for obj in (commitment, site):
        with pytest.raises(Forbidden):
            seals.read_sealed(world.head_b, obj)
        assert MARKER in json.dumps(seals.read_sealed(world.presidency, obj), ensure_ascii=False)
    assert MARKER in json.dumps(seals.read_sealed(world.head_a, commitment), ensure_ascii=False)
    reads = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("%.sealed_read"))).all()
    assert sorted(e.action for e in reads) == ["commitment.sealed_read", "commitment.sealed_read",
                                               "site.sealed_read"]


@pytest.mark.parametrize("reason, announce_on", [
    ("", seal_helpers.FAR), ("   ", seal_helpers.FAR), ("Secret", None), ("Secret", date(2020, 1, 1)),
    ("x" * 1001, seal_helpers.FAR)])
def test_a_seal_says_why_and_until_when(make, reason, announce_on):
    world = build_world(make)
    services.declare_priority(world.head_a, world.a, world.sectors["automobile"], "Un tissu industriel.")
    commitment = services.start_commitment(world.head_a, world.a, world.sectors["automobile"])
    with pytest.raises(Invalid):
        seals.seal(world.head_a, commitment, reason, announce_on)
    assert not commitment.is_sealed
    data = site_operations.SiteInput(name="Friche", commune=world.commune_a, hectares=Decimal(3), status="ready")
    with pytest.raises(Invalid):
        site_operations.register(world.presidency, world.conference, data, sealed=True, reason=reason,
                                 announce_on=announce_on)


def test_what_was_published_cannot_be_sealed_and_a_seal_is_revealed_once(make):
    world = build_world(make)
    public = file(world, world.a, "automobile", draft_input())
    with pytest.raises(Conflict):
        seals.seal(world.head_a, public, "Trop tard", seal_helpers.FAR)
    assert not public.is_sealed
    site = _site(world)
    seals.reveal(world.presidency, site)
    with pytest.raises(Conflict):
        seals.reveal(world.presidency, site)
    with pytest.raises(Conflict):
        seals.seal(world.presidency, site, "Encore", seal_helpers.FAR)


def test_sealing_follows_the_phases(make):
    world = build_world(make, phase="preparation")
    data = site_operations.SiteInput(name="Friche", commune=world.commune_a, hectares=Decimal(3), status="ready")
    with pytest.raises(WrongPhase):
        site_operations.register(world.presidency, world.conference, data, sealed=True, reason="Secret",
                                 announce_on=seal_helpers.FAR)
    assert all(not site.is_sealed for site in db.session.scalars(db.select(RegistrySite)))


def test_the_presidency_reveals_commitments_and_sites_at_their_date_after_warning(make, runner):
    world = build_world(make)
    commitment, site = _sealed(world), _site(world)
    announce = date.today() + timedelta(days=10)
    commitment.announce_on = site.announce_on = announce
    db.session.commit()
    at = lambda day: datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)  # noqa: E731
    with pytest.raises(Conflict):
        seals.reveal_due(world.presidency, commitment, at(announce))  # not warned
    assert schedule.run(at(announce - timedelta(days=8))) == ([], [])
    warned, revealed = schedule.run(at(announce - timedelta(days=7)))
    assert set(warned) == {commitment, site} and revealed == []
    db.session.commit()
    mails = db.session.scalars(db.select(OutboxMessage)).all()
    assert {"chef.a@example.fr", "delegue.a@example.fr", "presidence@example.fr"} <= {m.to_address for m in mails}
    assert all(MARKER not in m.body and MARKER not in m.subject for m in mails)
    with pytest.raises(Forbidden):
        seals.reveal_due(world.head_b, commitment, at(announce))
    result = runner.invoke(args=["cop", "seal", "reveal-due", "--now", at(announce).isoformat()])
    assert result.exit_code == 0 and "2 contenu(s) scellé(s) révélé(s)" in result.output
    db.session.expire_all()
    assert commitment.is_revealed and site.is_revealed and commitment.revealed_by_id is None
    result = runner.invoke(args=["cop", "seal", "verify"])
    assert result.exit_code == 0 and "2 contenu(s) scellé(s)" in result.output


def test_a_tampered_vault_is_caught_and_not_revealed(make, runner):
    world = build_world(make)
    commitment = _sealed(world)
    hidden = seals.vault(commitment)
    hidden["versions"][0]["texts"]["scope"] = "Autre chose"
    commitment.seal_vault = json.dumps(hidden)
    db.session.commit()
    result = runner.invoke(args=["cop", "seal", "verify"])
    assert result.exit_code != 0 and "ne correspond pas au sceau" in result.output
    with pytest.raises(Conflict):
        seals.reveal(world.head_a, commitment)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_the_web_doors_and_their_refusals(make, client, auth):
    world = build_world(make)
    services.declare_priority(world.head_a, world.a, world.sectors["automobile"], "Un tissu industriel.")
    commitment = services.start_commitment(world.head_a, world.a, world.sectors["automobile"])
    db.session.commit()
    cid = world.conference.id
    form = f"/cop/{cid}/engagements/{commitment.id}/sceller"
    auth.login("chef.b@example.fr")
    assert client.get(form).status_code == 404  # another party does not even see the draft
    auth.logout()
    auth.login("chef.a@example.fr")
    assert "Sceller" in client.get(form).get_data(as_text=True)
    past = client.post(form, data={"seal_reason": "Secret", "announce_on": "2020-01-01"})
    assert past.status_code == 422 and "aujourd’hui ou plus tard" in past.get_data(as_text=True)
    hostile = client.post(form, data={"seal_reason": "<script>alert(1)</script>" * 100, "announce_on": "2099-01-01"})
    assert hostile.status_code == 422 and "<script>alert" not in hostile.get_data(as_text=True)
    for bad in ({"seal_reason": "Secret\x00", "announce_on": "2099-01-01"},
                {"seal_reason": "Secret", "announce_on": "99999-99-99"}, {"seal_reason": "Secret"}):
        assert client.post(form, data=bad).status_code in (400, 422)
    db.session.expire_all()
    assert not db.session.get(Commitment, commitment.id).is_sealed
    ok = client.post(form, data={"seal_reason": "<b>Annonce</b> par l’industriel", "announce_on": "2099-01-01"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert commitment.is_sealed and commitment.seal_reason == "<b>Annonce</b> par l’industriel"
    again = client.post(form, data={"seal_reason": "Encore", "announce_on": "2099-01-01"})
    assert again.status_code == 409
    data = seal_helpers.sealed_draft(MARKER, commune="69123")
    services.save_draft(world.head_a, commitment, commitment.version, data)
    submission.submit(world.head_a, commitment, commitment.version)
    db.session.commit()
    page = client.get(f"/cop/{cid}/sceaux/engagement/{commitment.id}").get_data(as_text=True)
    assert "&lt;b&gt;Annonce&lt;/b&gt;" in page and commitment.seal_digest in page and MARKER not in page
    read = client.post(f"/cop/{cid}/sceaux/engagement/{commitment.id}/lire")
    assert read.status_code == 200 and MARKER in read.get_data(as_text=True)
    assert read.headers["Cache-Control"] == "no-store"
    auth.logout()
    auth.login("chef.b@example.fr")
    for action in ("lire", "reveler", "reveler-a-date"):
        refused = client.post(f"/cop/{cid}/sceaux/engagement/{commitment.id}/{action}")
        assert refused.status_code in (403, 409) and MARKER not in refused.get_data(as_text=True)
    for url in (f"/cop/{cid}/sceaux/inconnu/{commitment.id}", f"/cop/{cid}/sceaux/engagement/{2**40}",
                f"/cop/{cid}/sceaux/site/{commitment.id}"):
        assert client.get(url).status_code == 404
    auth.logout()
    auth.login("chef.a@example.fr")
    assert client.post(f"/cop/{cid}/sceaux/engagement/{commitment.id}/reveler").status_code == 302
    twice = client.post(f"/cop/{cid}/sceaux/engagement/{commitment.id}/reveler")
    assert twice.status_code == 409
    page = client.get(f"/cop/{cid}/sceaux/engagement/{commitment.id}").get_data(as_text=True)
    assert MARKER in page and 'id="sealed-text"' in page and "seal-check.js" in page


def test_a_site_is_sealed_at_registration_through_the_web(make, client, auth):
    world = build_world(make)
    db.session.commit()
    auth.login("presidence@example.fr")
    url = f"/cop/{world.conference.id}/sites/nouveau"
    base = {"name": f"Site {MARKER}", "commune": "69123", "hectares": "42", "status": "ready", "icpe": "none",
            "owner": f"Propriétaire {MARKER}", "sealed": "y"}
    refused = client.post(url, data={**base, "seal_reason": "", "announce_on": "2099-01-01"})
    assert refused.status_code == 422 and db.session.scalar(db.select(db.func.count(RegistrySite.id))) == 0
    response = client.post(url, data={**base, "seal_reason": "Cession en cours", "announce_on": "2099-01-01"})
    assert response.status_code == 302
    site = db.session.scalar(db.select(RegistrySite))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert site.is_hidden and MARKER not in page and site.seal_digest in page
    assert client.get(f"/cop/{world.conference.id}/sites/{site.id}/modifier").status_code == 409


def test_csrf_protects_sealing_and_revealing(csrf_app, make):  # noqa: F811
    world = build_world(make)
    commitment = _sealed(world)
    db.session.commit()
    sync()
    browser = csrf_app.test_client()
    login = browser.get("/auth/login").get_data(as_text=True)
    browser.post("/auth/login", data={"email": "chef.a@example.fr", "password": "motdepasse-de-test",
                                      "csrf_token": _token(login)})
    url = f"/cop/{world.conference.id}/sceaux/engagement/{commitment.id}/reveler"
    assert browser.post(url).status_code == 400
    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).is_hidden
    page = browser.get(f"/cop/{world.conference.id}/sceaux/engagement/{commitment.id}").get_data(as_text=True)
    assert browser.post(url, data={"csrf_token": _token(page)}).status_code == 302
