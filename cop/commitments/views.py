"""Public pages of the commitments: the list, a commitment, a version, the synthesis."""
from flask import render_template, request
from flask_login import current_user

from cop import loaders
from cop.commitments import bp, charts, labels, queries, review_thread, synthesis
from cop.commitments.drafts import current_draft, public_versions
from cop.commitments.models import STATUSES
from cop.db import db
from cop.fairshare import compare as fair_compare
from cop.funding import unlocked as funding_unlocked
from cop.permissions import membership
from cop.reference.models import Sector
from cop.rulebook import ask, who_may
from cop.rulebook.states import filing_action
from cop.seals import views as seal_views

bp.add_app_template_global(labels.status, "commitment_status_label")
bp.add_app_template_global(labels.funder, "funder_label")
bp.add_app_template_global(labels.site_kind, "site_kind_label")
bp.add_app_template_global(labels.site_status, "site_status_label")
bp.add_app_template_global(labels.TEXT_FIELDS, "commitment_text_fields")
PER_PAGE = 50


@bp.get("/<int:conference_id>/engagements")
def index(conference_id: int):
    """Filed commitments of a COP, filtered by party, filière and status."""
    conference = loaders.get_conference(conference_id)
    filters = {"party_id": request.args.get("partie", type=int), "sector": request.args.get("filiere") or None,
               "status": request.args.get("statut") or None}
    page = db.paginate(queries.public_commitments(conference, **filters), per_page=PER_PAGE, error_out=False)
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position)).all()
    statuses = [code for code in STATUSES if code != "draft"]
    mine = membership(current_user, conference)
    return render_template("commitments/index.html", conference=conference, page=page, filters=filters,
                           sectors=sectors, statuses=statuses, latest=queries.latest_public,
                           my_party=mine.party if mine and mine.party else None,
                           may_review=who_may("commitment.review", current_user, conference))


@bp.get("/<int:conference_id>/engagements/<int:commitment_id>")
def show(conference_id: int, commitment_id: int):
    """A commitment: its latest filed version, its history, and the draft for those who may see it."""
    conference = loaders.get_conference(conference_id)
    commitment = queries.get_commitment(conference, commitment_id, current_user)
    version = queries.latest_public(commitment) or current_draft(commitment)
    return _version_page(conference, commitment, version)


@bp.get("/<int:conference_id>/engagements/<int:commitment_id>/versions/<int:number>")
def version(conference_id: int, commitment_id: int, number: int):
    """One version of a commitment (a draft only for the party and the presidency)."""
    conference = loaders.get_conference(conference_id)
    commitment = queries.get_commitment(conference, commitment_id, current_user)
    return _version_page(conference, commitment, queries.get_version(commitment, number, current_user))


def _version_page(conference, commitment, version):
    """Render a version with what the reader may do next (the rulebook's answers, in `may`)."""
    party = commitment.party
    readable = queries.can_read_drafts(current_user, party)
    return render_template(
        "commitments/show.html", conference=conference, commitment=commitment, version=version,
        versions=public_versions(commitment), draft=current_draft(commitment) if readable else None,
        may=commitment_may(commitment, version), seal=seal_views.card(commitment),
        thread=review_thread.thread(version) if version is not None and readable else [])


def commitment_may(commitment, version) -> dict:
    """The rulebook's answers on a commitment and the version shown, for the reader."""
    party, shown = commitment.party, version if version is not None else commitment
    return {"commitment_file": ask(filing_action(commitment), current_user, party),
            "commitment_withdraw": ask("commitment.withdraw", current_user, party, commitment),
            "commitment_review": ask("commitment.review", current_user, party.conference, shown),
            "commitment_comment": ask("commitment.comment", current_user, party, shown),
            "seal_seal": ask("seal.seal", current_user, commitment, commitment)}


@bp.get("/<int:conference_id>/synthese")
def synthesis_page(conference_id: int):
    """The secretariat's synthesis: pledges against the regional targets, gaps, coverage, flags."""
    conference = loaders.get_conference(conference_id)
    result = synthesis.compute(conference)
    return render_template("commitments/synthesis.html", conference=conference, s=result,
                           charts=charts.by_sector(result.rows), fair=fair_compare.for_conference(conference),
                           unlocked=funding_unlocked.compute(conference.id, result.rows))
