"""Seed the bench database: an AURA-like COP in negotiation, a public plenary open, a speaker with the floor.

Prints [meeting_id, chair_token] as JSON on its last line (run by bench/fanout_targets.py).
"""
import json
from datetime import datetime, timezone

from cop import create_app
from cop.auth.models import User
from cop.conferences.models import Conference, Membership, Party
from cop.db import db
from cop.live import tokens
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services import run_command
from cop.territories.models import Territory

app = create_app()
with app.app_context():
    db.create_all()
    region = Territory(kind="region", code="84", name="Auvergne-Rhône-Alpes", search_name="auvergne", population=8e6)
    db.session.add(region)
    db.session.flush()
    conf = Conference(region_id=region.id, edition_year=2027, title="COP banc d’essai", code="COP-BENCH",
                      phase="negotiation")
    db.session.add(conf)
    db.session.flush()
    party = Party(conference_id=conf.id, name="Métropole de Lyon", kind="epci", accreditation="accredited")
    chair = User(email="chair@bench.test", name="Présidence")
    delegate = User(email="lyon@bench.test", name="Délégation de Lyon")
    db.session.add_all([party, chair, delegate])
    db.session.flush()
    db.session.add_all([Membership(user_id=chair.id, conference_id=conf.id, role="presidency"),
                        Membership(user_id=delegate.id, conference_id=conf.id, role="head_of_delegation",
                                   party_id=party.id, is_accredited=True)])
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière", chair_id=chair.id, is_public=True,
                      starts_dt=datetime.now(timezone.utc))
    db.session.add(meeting)
    db.session.flush()
    db.session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Déclarations"))
    db.session.commit()
    for user, name in ((chair, "meeting.open"), (delegate, "floor.request"), (chair, "floor.next")):
        run_command(meeting.id, user, name, {})
        db.session.commit()
    print(json.dumps([meeting.id, tokens.issue(app.config["SECRET_KEY"], chair.id, meeting.id, chair.session_nonce)]))
