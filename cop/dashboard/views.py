"""The landing page: for each COP the person belongs to, what waits for them in their role."""
from flask import render_template
from flask_login import current_user, login_required

from cop.conferences.models import Conference, Membership
from cop.dashboard import bp
from cop.dashboard.party import party_work
from cop.dashboard.staff import meetings_to_prepare, staff_work
from cop.db import db
from cop.permissions import MANAGING_ROLES


@bp.get("/tableau-de-bord")
@login_required
def index():
    """One section per COP not closed: staff work, the party's commitments and asks, or upcoming meetings."""
    memberships = db.session.scalars(
        db.select(Membership).join(Conference).where(Membership.user_id == current_user.id,
                                                     Conference.phase != "closed")
        .order_by(Conference.edition_year.desc(), Conference.id)).all()
    sections = [_section(m) for m in memberships]
    return render_template("dashboard/index.html", sections=sections)


def _section(membership: Membership) -> dict:
    """What one membership shows."""
    conference = membership.conference
    if membership.role in MANAGING_ROLES:
        return {"kind": "staff", "membership": membership, "work": staff_work(conference)}
    meetings = meetings_to_prepare(conference)
    if membership.party_id:
        return {"kind": "party", "membership": membership, "work": party_work(membership), "meetings": meetings}
    return {"kind": "observer", "membership": membership, "meetings": meetings}
