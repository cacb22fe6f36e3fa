"""A COP's own state changes — creation, settings, targets, parties, phases — are in the audit chain."""
from cop.audit.models import AuditEvent
from cop.audit.services import verify_chain
from cop.conferences import parties, phases, services, targets
from cop.db import db


def _actions(conference_id):
    return [e.action for e in db.session.scalars(
        db.select(AuditEvent).filter_by(conference_id=conference_id).order_by(AuditEvent.seq))]


def test_each_change_of_consequence_appends_a_link(make):
    make.reference()
    region = make.region()
    staff = make.user(region_id=region.id)
    make.territory(region=region)
    conference = services.create_conference(staff, region.id, 2027)
    services.update_settings(staff, conference, conference.version, {"quorum_percent": 60})
    targets.set_targets(staff, conference, 2030, {("automobile", "jobs-created"): "1 200"})
    new = parties.invite_all_epci(staff, conference)
    parties.set_accreditation(staff, new[0], "accredited")
    phases.move_phase(staff, conference, "call_for_commitments", confirmed=True)
    db.session.commit()
    assert _actions(conference.id) == ["conference.created", "conference.settings_changed", "conference.targets_set",
                                       "party.invited", "party.accreditation_set", "conference.phase_moved"]
    moved = db.session.scalar(db.select(AuditEvent).filter_by(action="conference.phase_moved"))
    assert moved.actor_id == staff.id and '"to":"call_for_commitments"' in moved.data
    assert verify_chain() == (6, None)


def test_a_refused_change_leaves_no_link(make):
    conference = make.conference()
    outsider = make.user()
    db.session.commit()
    try:
        phases.move_phase(outsider, conference, "call_for_commitments")
    except Exception:
        db.session.rollback()
    assert _actions(conference.id) == []
