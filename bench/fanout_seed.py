"""Seed the fan-out bench database: an AURA-like COP in negotiation, a public plenary open, a speaker with the floor.

    COP_DATABASE_URL=… python -m bench.fanout_seed [realistic]

`realistic` (the issue-17 measure): 166 accredited parties with the real populations of 166 EPCI (seeds/data/
epci.csv), each with its head of delegation; the open item carries a draft text of 12 paragraphs; 24 delegations
have asked for the floor and one holds it. Otherwise: one party, one request. On PostgreSQL the schema is dropped
first (scratch databases only). Prints [meeting_id, chair_token] as JSON on its last line (run by
bench/fanout_targets.py).
"""
import csv
import json
import sys
from datetime import datetime, timezone

from sqlalchemy import text

from cop import create_app
from cop.auth.models import User
from cop.conferences.models import Conference, Membership, Party
from cop.db import db, utcnow
from cop.live import tokens
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services import run_command
from cop.negotiation.texts.operations import create_draft
from cop.territories.models import Territory
from cop.territories.seed import DATA_DIR

PARTIES, ASKING = 166, 24
PARAGRAPH = ("La COP régionale retient, pour la filière, une trajectoire d’emplois industriels et de capacités "
             "décarbonées à l’horizon 2030, déclinée par bassin, avec un suivi annuel public des engagements. ")



def seat_heads(conf: Conference, region: Territory, rows: list[dict]) -> list[User]:
    """One accredited EPCI party per row of seeds/data/epci.csv, with its head of delegation; return the heads.
    Shared by the fan-out and vote benches' seeds."""
    heads = []
    for row in rows:
        territory = Territory(kind="epci", code=row["siren"], name=row["name"], search_name=row["name"].lower(),
                              population=int(row["population"]), region_id=region.id)
        head = User(email=f"{row['siren']}@bench.test", name=f"Chef de délégation {row['name']}")
        db.session.add_all([territory, head])
        db.session.flush()
        party = Party(conference_id=conf.id, territory_id=territory.id, name=row["name"], kind="epci",
                      accreditation="accredited")
        db.session.add(party)
        db.session.flush()
        db.session.add(Membership(user_id=head.id, conference_id=conf.id, role="head_of_delegation",
                                  party_id=party.id, is_accredited=True))
        heads.append(head)
    return heads

def seed(realistic: bool) -> list:
    """Write the bench's conference, parties, users and meeting; return [meeting id, chair token]."""
    region = Territory(kind="region", code="84", name="Auvergne-Rhône-Alpes", search_name="auvergne",
                       population=8_205_557)
    db.session.add(region)
    db.session.flush()
    conf = Conference(region_id=region.id, edition_year=2027, title="COP banc d’essai", code="COP-BENCH",
                      phase="negotiation")
    chair = User(email="chair@bench.test", name="Présidence")
    db.session.add_all([conf, chair])
    db.session.flush()
    db.session.add(Membership(user_id=chair.id, conference_id=conf.id, role="presidency"))
    if realistic:
        with open(DATA_DIR / "epci.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))[:PARTIES]
    else:
        rows = [{"siren": "200046977", "name": "Métropole de Lyon", "population": "1400000"}]
    heads = seat_heads(conf, region, rows)
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière", chair_id=chair.id, is_public=True,
                      starts_dt=datetime.now(timezone.utc))
    db.session.add(meeting)
    db.session.flush()
    item = AgendaItem(meeting_id=meeting.id, position=1, title="Feuille de route : orientations", state="open")
    db.session.add(item)
    db.session.flush()
    if realistic:
        create_draft(chair, meeting, item, "Orientations de la feuille de route",
                     "\n\n".join(f"{n}. {PARAGRAPH * 2}" for n in range(1, 13)), utcnow())
    db.session.commit()
    run_command(meeting.id, chair, "meeting.open", {})
    db.session.commit()
    for head in heads[:ASKING if realistic else 1]:
        run_command(meeting.id, head, "floor.request", {})
        db.session.commit()
    run_command(meeting.id, chair, "floor.next", {})
    db.session.commit()
    return [meeting.id, tokens.issue(app.config["SECRET_KEY"], chair.id, meeting.id, chair.session_nonce)]


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        print(json.dumps(seed(len(sys.argv) > 1 and sys.argv[1] == "realistic")))
