"""A COP in negotiation with an open plenary, a draft text on its current item, and a way to run commands."""
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from cop.db import db, utcnow
from cop.errors import DomainError
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services import run_command
from cop.negotiation.texts import operations as texts

DRAFT = ("La COP fixe l’objectif de [2 000 / 3 000] emplois industriels créés d’ici 2030.\n\n"
         "Les parties s’engagent à réhabiliter 150 hectares de friches.\n\n"
         "Le secrétariat publie chaque année un bilan collectif.")


def do(user, meeting, name: str, **args):
    """Run a command as the web door does, commit, and return the event's data."""
    event, _ = run_command(meeting.id, user, name, args)
    data = event.data
    db.session.commit()
    return data


def roll_call(neg, present=None, item=None) -> dict:
    """The chair records who is present for an item (all three delegations by default), as the web door does."""
    present = present if present is not None else [neg.lyon.id, neg.grenoble.id, neg.annecy.id]
    return do(neg.u.chair, neg.meeting, "rollcall.record", present=present, item_id=(item or neg.item).id)


def refused(user, meeting, name: str, **args) -> DomainError:
    """Run a command that must be refused; roll back and return the error."""
    with pytest.raises(DomainError) as info:
        run_command(meeting.id, user, name, args)
    db.session.rollback()
    return info.value


@pytest.fixture
def neg(make):
    """Three accredited EPCI (heads, delegates), an observer, the presidency chairing an open plenary."""
    return build(make)


def build(make, called: bool = True, **rules):
    """The negotiation fixture, with the conference's rules overridden by `rules` (and no roll call unless called)."""
    rules = dict({"objection_window_seconds": 30}, **rules)
    conf = make.conference(phase="negotiation", code="COP-AURA-2027", **rules)
    lyon = make.party(conf, make.territory(name="Métropole de Lyon", population=1_436_354, region=conf.region))
    grenoble = make.party(conf, make.territory(name="Grenoble-Alpes-Métropole", population=450_608,
                                               region=conf.region))
    annecy = make.party(conf, make.territory(name="CA du Grand Annecy", population=213_415, region=conf.region))
    chair = make.member(conf, "presidency", user_obj=make.user(name="Présidente Roux"))
    users = SimpleNamespace(
        chair=chair,
        lyon=make.member(conf, "head_of_delegation", lyon, user_obj=make.user(name="Léa Lyon")),
        lyon_delegate=make.member(conf, "delegate", lyon, user_obj=make.user(name="Lucas Lyon")),
        grenoble=make.member(conf, "head_of_delegation", grenoble, user_obj=make.user(name="Gaspard Grenoble")),
        grenoble_voter=make.member(conf, "delegate", grenoble, may_file=True,
                                   user_obj=make.user(name="Gaëlle Grenoble")),
        annecy=make.member(conf, "head_of_delegation", annecy, user_obj=make.user(name="Anne Annecy")),
        observer=make.member(conf, "observer", user_obj=make.user(name="Olga Observatrice")),
    )
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière de clôture", chair_id=chair.id,
                      starts_dt=datetime(2027, 3, 1, 9, tzinfo=timezone.utc), is_public=True, state="open")
    db.session.add(meeting)
    db.session.flush()
    item = AgendaItem(meeting_id=meeting.id, position=1, title="Déclaration sur l’emploi industriel", state="open")
    other = AgendaItem(meeting_id=meeting.id, position=2, title="Questions diverses")
    db.session.add_all([item, other])
    db.session.flush()
    draft = texts.create_draft(chair, meeting, item, "Déclaration de Lyon", DRAFT, utcnow())
    db.session.commit()
    neg = SimpleNamespace(conf=conf, meeting=meeting, item=item, other=other, draft=draft, u=users,
                          lyon=lyon, grenoble=grenoble, annecy=annecy, p=[p.id for p in draft.paragraphs])
    if called:
        roll_call(neg)  # the three delegations answer the chair's roll call on the current item (seq 1)
    return neg
