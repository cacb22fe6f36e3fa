"""The record cannot be rewritten unseen: the audit chain is anchored by its published head, a roadmap rewritten with
its hash is caught by its signatures and audit links, and accepted figures are sealed in the chain."""
import hashlib
import json

from sqlalchemy import text

from cop import canonical
from cop.audit.models import AuditEvent
from cop.audit.services import compute_hash, record
from cop.commitments import submission
from cop.commitments.models import CommitmentVersion, Pledge
from cop.db import db
from cop.roadmap import signatures
from tests.commitment_helpers import build_world, draft_input, file
from tests.roadmap.test_adoption import adopted
from tests.factories import PASSWORD


def _chain(n: int = 6) -> None:
    for i in range(n):
        record("test.step", "thing", i, data={"i": i})
    db.session.commit()


def _published(client, tmp_path, path: str, name: str):
    """What a citizen saved from the site: the response body in a file."""
    response = client.get(path)
    assert response.status_code == 200
    target = tmp_path / name
    target.write_bytes(response.data)
    return target


def _verify(runner, *args):
    return runner.invoke(args=["cop", "audit", "verify", *args])


def test_the_head_is_published_in_the_atom_feed_and_the_data_package(client, tmp_path):
    _chain()
    last = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    feed = client.get("/flux/journal.atom").get_data(as_text=True)
    assert f"urn:cop:audit:{last.seq}:{last.hash}" in feed
    package = client.get("/opendata/datapackage.json").get_json()
    assert package["audit_head"]["seq"] == last.seq and package["audit_head"]["sha256"] == last.hash


def test_deleting_the_last_links_passes_verify_but_not_against_a_published_head(client, runner, tmp_path):
    _chain()
    saved = _published(client, tmp_path, "/opendata/datapackage.json", "datapackage.json")
    db.session.execute(text("DELETE FROM audit_event WHERE seq > 4"))
    db.session.commit()
    assert _verify(runner).exit_code == 0  # the attack: a shorter chain is still a valid chain
    result = _verify(runner, "--against", str(saved))
    assert result.exit_code != 0 and "supprimée" in result.output


def test_rewriting_a_link_and_every_later_hash_is_caught_by_a_kept_feed(client, runner, tmp_path):
    _chain()
    saved = _published(client, tmp_path, "/flux/journal.atom", "journal.atom")
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq)).all()
    events[1].data = canonical.dumps({"i": 99})
    previous = events[0].hash
    for event in events[1:]:
        event.prev_hash = previous
        event.hash = previous = compute_hash(event)
    db.session.commit()
    assert _verify(runner).exit_code == 0  # recomputed hashes: the chain alone cannot tell
    result = _verify(runner, "--against", str(saved))
    assert result.exit_code != 0 and "réécrite" in result.output


def test_an_untouched_chain_matches_its_published_head(client, runner, tmp_path):
    _chain()
    saved = _published(client, tmp_path, "/flux/journal.atom", "journal.atom")
    result = _verify(runner, "--against", str(saved))
    assert result.exit_code == 0 and "conforme à la tête publiée" in result.output


def test_a_pledge_edited_in_the_database_is_caught(make, runner):
    world = build_world(make)
    file(world, world.a, sorted(world.sectors)[0], draft_input(unconditional="3200"))
    db.session.commit()
    assert _verify(runner).exit_code == 0
    db.session.execute(text("UPDATE pledge SET unconditional_value = 9999"))
    db.session.commit()
    db.session.expire_all()
    result = _verify(runner)
    assert result.exit_code != 0 and "ne sont plus ceux" in result.output
    version = db.session.scalar(db.select(CommitmentVersion).filter_by(status="accepted"))
    assert db.session.scalar(db.select(Pledge.unconditional_value).filter_by(version_id=version.id)) == 9999
    assert submission  # the accepted version went through the review that seals its figures


def test_a_roadmap_rewritten_with_its_hash_is_caught_by_signatures_and_audit(make, runner):
    s, version = adopted(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    db.session.commit()
    assert runner.invoke(args=["cop", "roadmap", "verify"]).exit_code == 0
    content = dict(version.content)
    content["conference"] = {**content["conference"], "title": "Titre réécrit"}
    forged = canonical.dumps(content)
    db.session.execute(text("UPDATE roadmap_version SET content = :c, canonical_json = :j, sha256 = :h WHERE id = :id"),
                       {"c": json.dumps(content), "j": forged, "h": hashlib.sha256(forged.encode()).hexdigest(),
                        "id": version.id})
    db.session.commit()
    db.session.expire_all()
    result = runner.invoke(args=["cop", "roadmap", "verify"])
    assert result.exit_code != 0
    assert "signature" in result.output and "maillon" in result.output
