"""Signing the adopted roadmap: the head of delegation, for its own party, once, the version in force."""
import pytest

from cop.audit.models import AuditEvent
from cop.conferences.models import Membership
from cop.db import db
from cop.errors import Conflict, Forbidden, WrongPhase
from cop.roadmap import adoption, services, signatures
from tests.roadmap import scenario as sc
from tests.roadmap.test_adoption import adopted
from tests.factories import PASSWORD


def test_head_signs_the_hash_for_its_party(make):
    s, version = adopted(make)
    signature = signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    db.session.commit()
    assert (signature.user_id, signature.party_id, signature.sha256) == (s.heads[0].id, s.parties[0].id,
                                                                        version.sha256)
    last = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert last.action == "roadmap.signed" and version.sha256 in last.data
    signed, missing = signatures.signatories(version)
    assert [p.name for p, _ in signed] == ["CC numéro 1"]
    assert [p.name for p in missing] == ["CC numéro 2", "CC numéro 3"]


def test_signing_for_another_party_is_refused(make):
    s, version = adopted(make)
    with pytest.raises(Forbidden):
        signatures.sign(s.heads[0], version, s.parties[1], version.sha256, password=PASSWORD)
    assert signatures.signature_of(version, s.parties[1]) is None


@pytest.mark.parametrize("role", ["delegate", "presidency"])
def test_only_the_head_signs(make, role):
    s, version = adopted(make)
    user = make.member(s.conference, role, s.parties[0] if role == "delegate" else None, may_file=True)
    db.session.commit()
    with pytest.raises(Forbidden):
        signatures.sign(user, version, s.parties[0], version.sha256, password=PASSWORD)


def test_signing_twice_is_refused(make):
    s, version = adopted(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    db.session.commit()
    with pytest.raises(Conflict, match="déjà signé"):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)


def test_a_non_adopted_version_cannot_be_signed(make):
    s = sc.build(make)
    db.session.commit()
    draft = services.generate_draft(s.secretariat, s.conference)
    with pytest.raises(Conflict):
        signatures.sign(s.heads[0], draft, s.parties[0], "", password=PASSWORD)
    item = adoption.submit(s.secretariat, draft, s.plenary)
    with pytest.raises(Conflict):
        signatures.sign(s.heads[0], draft, s.parties[0], "", password=PASSWORD)
    sc.decide(s, item)
    second = services.generate_draft(s.secretariat, s.conference)
    sc.decide(s, adoption.submit(s.secretariat, second, s.plenary))
    db.session.commit()
    assert draft.state == "superseded"
    with pytest.raises(Conflict):
        signatures.sign(s.heads[0], draft, s.parties[0], draft.sha256, password=PASSWORD)


def test_signing_a_hash_other_than_the_adopted_one_is_refused(make):
    s, version = adopted(make)
    with pytest.raises(Conflict, match="empreinte"):
        signatures.sign(s.heads[0], version, s.parties[0], "a" * 64, password=PASSWORD)


def test_signing_refused_once_closed(make):
    s, version = adopted(make)
    s.conference.phase = "closed"
    db.session.commit()
    with pytest.raises(WrongPhase):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)


def test_head_of_another_conference_cannot_sign(make):
    s, version = adopted(make)
    other = make.conference(region_territory=s.conference.region, edition_year=2031)
    stranger = make.party(other)
    head = make.member(other, "head_of_delegation", stranger)
    db.session.commit()
    with pytest.raises(Exception) as caught:
        signatures.sign(head, version, stranger, version.sha256, password=PASSWORD)
    assert caught.value.status == 404
    assert db.session.scalar(db.select(db.func.count(Membership.id)).filter_by(user_id=head.id)) == 1


@pytest.mark.parametrize("who", ["head_not_accredited", "party_invited"])
def test_an_unaccredited_head_or_party_cannot_sign_through_any_door(make, client, auth, who):
    s, version = adopted(make)
    head, party = s.heads[0], s.parties[0]
    if who == "head_not_accredited":
        db.session.scalar(db.select(Membership).filter_by(user_id=head.id)).is_accredited = False
    else:
        party.accreditation = "invited"
    db.session.commit()
    reason = "pas encore été prononcée" if who == "head_not_accredited" else "n’est pas accréditée"
    with pytest.raises(Forbidden, match=reason):
        signatures.sign(head, version, party, version.sha256, password=PASSWORD)
    auth.login(head.email)
    url = f"/cop/{s.conference.id}/feuille-de-route"
    page = client.get(url).get_data(as_text=True)
    assert "Signer pour" not in page and reason in page.replace("&#39;", "’").replace("&rsquo;", "’")
    response = client.post(f"{url}/v{version.number}/signer", data={"sha256": version.sha256})
    assert response.status_code == 403
    assert signatures.signature_of(version, party) is None
