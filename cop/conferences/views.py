"""Public pages of the COPs: the list, a COP's overview, a party's page."""
from typing import Optional

from flask import render_template, request
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from cop import labels, permissions
from cop.conferences import bp
from cop.loaders import get_conference, get_party
from cop.conferences.models import PHASES, Conference, Party
from cop.conferences import party_search
from cop.conferences.party_history import party_history
from cop.conferences.party_search import PartyFilters
from cop.conferences.phases import history
from cop.conferences.targets import targets_by_sector
from cop.db import db
from cop.pagination import paginate
from cop.territories.models import Territory


@bp.app_context_processor
def conference_labels() -> dict:
    """Labels of party kinds, accreditations and rules, for every template."""
    from cop.negotiation.votes.tally import SMALL_ELECTORATE

    return {"PARTY_KIND_LABELS": labels.PARTY_KIND_LABELS, "ACCREDITATION_LABELS": labels.ACCREDITATION_LABELS,
            "DECISION_MODE_LABELS": labels.DECISION_MODE_LABELS,
            "VOTE_WEIGHTING_LABELS": labels.VOTE_WEIGHTING_LABELS, "SMALL_ELECTORATE": SMALL_ELECTORATE,
            "SEALED_READERS_LABELS": labels.SEALED_READERS_LABELS}


def party_counts() -> dict[int, tuple[int, int]]:
    """(parties, accredited parties) per conference, in one query."""
    accredited = db.func.sum(db.case((Party.accreditation == "accredited", 1), else_=0))
    rows = db.session.execute(db.select(Party.conference_id, db.func.count(Party.id), accredited)
                              .group_by(Party.conference_id))
    return {conference_id: (total, int(ok or 0)) for conference_id, total, ok in rows}


@bp.get("/")
def index():
    """Every COP, newest edition first, with its region, phase and parties."""
    conferences = db.session.scalars(
        db.select(Conference).options(joinedload(Conference.region))
        .order_by(Conference.edition_year.desc(), Conference.title)
    ).all()
    may_create = permissions.is_admin(current_user) or bool(getattr(current_user, "region_id", None))
    return render_template("conferences/index.html", conferences=conferences, counts=party_counts(),
                           may_create=may_create)


def _party_summary(conference: Conference) -> dict:
    """Counts and population covered by a COP's parties."""
    base = db.select(db.func.count(Party.id)).filter(Party.conference_id == conference.id)
    population = db.select(db.func.coalesce(db.func.sum(Territory.population), 0)).select_from(Party) \
        .join(Territory, Party.territory_id == Territory.id) \
        .filter(Party.conference_id == conference.id, Party.kind == "epci")
    return {
        "total": db.session.scalar(base),
        "accredited": db.session.scalar(base.filter(Party.accreditation == "accredited")),
        "epci_population": db.session.scalar(population),
    }


def party_listing(conference: Conference, filters: Optional[PartyFilters] = None) -> Pagination:
    """One page of a COP's parties (filtered): the Region first, then organisations, then territories, by name."""
    query = db.select(Party).filter_by(conference_id=conference.id).options(joinedload(Party.territory))
    if filters is not None:
        query = party_search.apply(query, conference, filters)
    return paginate(query.order_by(Party.kind != "region", Party.territory_id.is_not(None), Party.name))


@bp.get("/<int:conference_id>")
def show(conference_id: int):
    """A COP's overview: phase, calendar, rules, parties (filtered by the GET form), targets, phase history."""
    conference = get_conference(conference_id)
    filters = PartyFilters.from_args(request.args)
    return render_template(
        "conferences/show.html", conference=conference, phases=PHASES, parties=party_listing(conference, filters),
        filters=filters, departements=party_search.departements(conference),
        summary=_party_summary(conference), targets=targets_by_sector(conference), history=history(conference),
        is_manager=permissions.can_manage_conference(current_user, conference),
        is_presidency=permissions.is_presidency(current_user, conference),
        my_membership=permissions.membership(current_user, conference))


@bp.get("/<int:conference_id>/parties/<int:party_id>")
def party(conference_id: int, party_id: int):
    """A party's public page: territory, kind, accreditation; links to its delegation, commitments, history."""
    conference = get_conference(conference_id)
    item = get_party(conference, party_id)
    return render_template("conferences/party.html", conference=conference, party=item,
                           is_manager=permissions.can_manage_conference(current_user, conference),
                           sees_delegation=permissions.can_view_party_admin(current_user, item),
                           history=party_history(item))
