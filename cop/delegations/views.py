"""A party's delegation page, the conference staff page, invitations and the switches on members."""
from typing import Optional

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import labels, permissions
from cop.auth.invitations import invite as invite_member
from cop.auth.invitations import pending, send_invitation
from cop.auth.services import normalize_email
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.delegations import bp
from cop.delegations.forms import InviteForm, SwitchForm
from cop.delegations.services import members, set_accredited, set_may_file
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from cop.loaders import get_conference, get_membership, get_party

PARTY_INVITE_ROLES = ("head_of_delegation", "delegate", "observer")
STAFF_INVITE_ROLES = ("presidency", "secretariat", "observer")


def _invite_roles(conference: Conference, party: Optional[Party]) -> list[str]:
    """The roles the current user may give on this page."""
    offered = PARTY_INVITE_ROLES if party else STAFF_INVITE_ROLES
    return [role for role in offered if permissions.can_invite_role(current_user, conference, role)]


def _page(conference: Conference, party: Optional[Party], form: Optional[InviteForm] = None, status: int = 200):
    """Render the delegation page of a party, or the staff page when party is None."""
    roles = _invite_roles(conference, party)
    if form is None and roles:
        form = InviteForm(roles)
    context = dict(conference=conference, party=party, members=members(conference, party),
                   form=form if roles else None, invitations=pending(conference, party) if roles else [],
                   may_accredit=permissions.can_accredit_members(current_user, conference),
                   may_manage=bool(party) and permissions.can_manage_delegation(current_user, party),
                   kind_labels=labels.PARTY_KIND_LABELS, accreditation_labels=labels.ACCREDITATION_LABELS)
    template = "delegations/show.html" if party else "delegations/staff.html"
    return render_template(template, **context), status


@bp.get("/parties/<int:party_id>/delegation")
@login_required
def show(conference_id: int, party_id: int):
    """Members of a party's delegation: seen by the party itself and by the conference's managers."""
    party = get_party(get_conference(conference_id), party_id)
    if not permissions.can_view_party_admin(current_user, party):
        raise Forbidden("Seuls les membres de cette délégation et la présidence de la COP voient cette page.")
    return _page(party.conference, party)


@bp.get("/equipe")
@login_required
def staff(conference_id: int):
    """The presidency, the secretariat and the observers attached to no party."""
    conference = get_conference(conference_id)
    if not permissions.can_manage_conference(current_user, conference):
        raise Forbidden("Seules la présidence et le secrétariat de la COP voient son équipe.")
    return _page(conference, None)


@bp.post("/equipe/invitations", defaults={"party_id": None}, endpoint="invite_staff")
@bp.post("/parties/<int:party_id>/delegation/invitations")
@login_required
def invite(conference_id: int, party_id: Optional[int]):
    """Invite a person by e-mail; the link is sent (logged) once the invitation is saved."""
    conference = get_conference(conference_id)
    party = get_party(conference, party_id) if party_id else None
    if not permissions.can_invite(current_user, conference):
        raise Forbidden("Seules la présidence et le secrétariat de la COP envoient des invitations.")
    form = InviteForm(_invite_roles(conference, party))
    if not form.validate_on_submit():
        return _page(conference, party, form, 422)
    try:
        secret = invite_member(current_user, conference, form.email.data, form.role.data, party, form.language.data)
    except (Conflict, Invalid, WrongPhase) as error:
        db.session.rollback()
        form.email.errors.append(error.message)
        return _page(conference, party, form, error.status)
    email = normalize_email(form.email.data)
    db.session.commit()
    send_invitation(current_user, email, secret, conference, form.role.data, party, form.language.data)
    flash(_("Invitation envoyée à %(email)s (%(role)s).", email=email, role=labels.role(form.role.data).lower()),
          "success")
    return redirect(_back(conference, party))


def _back(conference: Conference, party: Optional[Party]) -> str:
    """The page a member's row lives on."""
    if party is None:
        return url_for("delegations.staff", conference_id=conference.id)
    return url_for("delegations.show", conference_id=conference.id, party_id=party.id)


def _switch_value() -> bool:
    """The posted "1"/"0" of a switch form, or a 422 for anything else."""
    form = SwitchForm()
    if not form.validate_on_submit():
        abort(422)
    return form.value.data == "1"


@bp.post("/membres/<int:membership_id>/vote")
@login_required
def may_file(conference_id: int, membership_id: int):
    """Allow or stop a delegate filing and voting for the party."""
    membership = get_membership(conference_id, membership_id)
    allowed = _switch_value()
    set_may_file(current_user, membership, allowed)
    db.session.commit()
    names = {"name": membership.user.name, "party": membership.party.name}
    if allowed:
        flash(_("%(name)s peut désormais déposer et voter pour %(party)s.", **names), "success")
    else:
        flash(_("%(name)s ne peut plus déposer et voter pour %(party)s.", **names), "success")
    return redirect(_back(membership.conference, membership.party))


@bp.post("/membres/<int:membership_id>/accreditation")
@login_required
def accredit(conference_id: int, membership_id: int):
    """Accredit a member, or withdraw the accreditation."""
    membership = get_membership(conference_id, membership_id)
    accredited = _switch_value()
    set_accredited(current_user, membership, accredited)
    db.session.commit()
    if accredited:
        flash(_("%(name)s est accrédité·e.", name=membership.user.name), "success")
    else:
        flash(_("%(name)s est sans accréditation.", name=membership.user.name), "success")
    return redirect(_back(membership.conference, membership.party))
