"""Seed the vote bench: a COP in negotiation whose rules call for votes, 200 parties with the real populations of
200 EPCI (seeds/data/epci.csv), their heads, a public plenary open with one clean draft per round.

    COP_DATABASE_URL=… python -m bench.vote_seed ROUNDS SECRET(0|1) WEIGHTING
Prints {"meeting", "items", "chair", "voters"} (ids and live tokens) as JSON on its last line.
"""
import csv
import json
import sys
from datetime import datetime, timezone

from cop import create_app
from cop.auth.models import User
from cop.conferences.models import Conference, Membership
from cop.db import db, utcnow
from cop.live import tokens
from cop.meetings.models import AgendaItem, Meeting
from cop.negotiation.texts.operations import create_draft
from cop.territories.models import Territory
from cop.territories.seed import DATA_DIR

from bench.fanout_seed import seat_heads

PARTIES = 200


def seed(rounds: int, secret: bool, weighting: str) -> dict:
    """Write the bench's conference, parties, users and meeting; return ids and tokens."""
    region = Territory(kind="region", code="84", name="Auvergne-Rhône-Alpes", search_name="auvergne",
                       population=8_205_557)
    db.session.add(region)
    db.session.flush()
    conf = Conference(region_id=region.id, edition_year=2027, title="COP banc d’essai des votes", code="COP-VOTE",
                      phase="negotiation", decision_mode="vote", vote_weighting=weighting, secret_ballot=secret)
    chair = User(email="chair@bench.test", name="Présidence")
    db.session.add_all([conf, chair])
    db.session.flush()
    db.session.add(Membership(user_id=chair.id, conference_id=conf.id, role="presidency"))
    with open(DATA_DIR / "epci.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:PARTIES]
    heads = seat_heads(conf, region, rows)
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière des votes", chair_id=chair.id,
                      is_public=True, state="open", starts_dt=datetime.now(timezone.utc))
    db.session.add(meeting)
    db.session.flush()
    items = []
    for position in range(1, rounds + 1):
        item = AgendaItem(meeting_id=meeting.id, position=position, title=f"Résolution {position}",
                          state="open" if position == 1 else "pending")
        db.session.add(item)
        db.session.flush()
        create_draft(chair, meeting, item, f"Résolution {position}", "La COP adopte la feuille de route.", utcnow())
        items.append(item.id)
    db.session.commit()
    key = app.config["SECRET_KEY"]
    chair_token = tokens.issue(key, chair.id, meeting.id, chair.session_nonce)
    return {"meeting": meeting.id, "items": items, "chair": chair_token,
            "voters": [tokens.issue(key, head.id, meeting.id, head.session_nonce) for head in heads]}


app = create_app()
with app.app_context():
    db.create_all()
    print(json.dumps(seed(int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3])))
