"""Importing commitments from a CSV file, and the template to fill in."""
import csv
import io

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import bp, csv_import, csv_layout, queries, services
from cop.commitments.forms import ImportForm
from cop.db import db
from cop.errors import DomainError
from cop.reference.models import Indicator, Sector


@bp.get("/engagements/modele.csv")
def template_csv():
    """The CSV template: the header and two example lines, UTF-8 with BOM and ";" as Excel in French expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_layout.COLUMNS)
    writer.writerows(csv_layout.TEMPLATE_ROWS)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="modele-engagements.csv"'})


@bp.route("/<int:conference_id>/parties/<int:party_id>/import", methods=["GET", "POST"])
@login_required
def import_file(conference_id: int, party_id: int):
    """Upload a CSV of pledges; a file with any bad line imports nothing and lists every bad line."""
    party = loaders.get_party(loaders.get_conference(conference_id), party_id)
    if not queries.can_read_drafts(current_user, party):
        abort(403)
    services.check_filer(current_user, party)
    form = ImportForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return _page(party, form, [], status=status)
    try:
        counts = csv_import.import_csv(current_user, party, form.file.data.read(), form.encoding.data)
        db.session.commit()
    except csv_import.ImportRefused as refused:
        db.session.rollback()
        return _page(party, form, refused.problems, refused.message, 422)
    except DomainError as error:
        db.session.rollback()
        return _page(party, form, [error.message], error.message, error.status)
    flash(_("%(pledges)s cible(s) importée(s) dans %(drafts)s brouillon(s) : relisez-les puis soumettez-les.",
            pledges=counts["pledges"], drafts=counts["commitments"]), "success")
    return redirect(url_for(".party", conference_id=conference_id, party_id=party.id))


def _page(party, form: ImportForm, problems: list[str], message: str = "", status: int = 200):
    """The import page: the form, the problems of the last file, the columns and the codes to use."""
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position)).all()
    indicators = db.session.scalars(db.select(Indicator).order_by(Indicator.position)).all()
    chosen = {p.sector_id for p in queries.priorities(party)}
    return render_template("commitments/import.html", party=party, form=form, problems=problems, message=message,
                           columns=csv_layout.COLUMNS, sectors=sectors, indicators=indicators,
                           chosen=chosen), status
