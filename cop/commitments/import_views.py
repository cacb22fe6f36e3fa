"""Importing commitments from a CSV file, and the template to fill in."""
import csv
import io

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import bp, csv_import, csv_layout, queries, services
from cop.commitments.forms import ImportForm
from cop.db import db
from cop.errors import DomainError


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
        return render_template("commitments/import.html", party=party, form=form, problems=[],
                               columns=csv_layout.COLUMNS), status
    try:
        counts = csv_import.import_csv(current_user, party, form.file.data.read(), form.encoding.data)
        db.session.commit()
    except csv_import.ImportRefused as refused:
        db.session.rollback()
        return render_template("commitments/import.html", party=party, form=form, problems=refused.problems,
                               message=refused.message, columns=csv_layout.COLUMNS), 422
    except DomainError as error:
        db.session.rollback()
        return render_template("commitments/import.html", party=party, form=form, problems=[error.message],
                               message=error.message, columns=csv_layout.COLUMNS), error.status
    flash(f"{counts['pledges']} cible(s) importée(s) dans {counts['commitments']} brouillon(s) : "
          "relisez-les puis soumettez-les.", "success")
    return redirect(url_for(".party", conference_id=conference_id, party_id=party.id))
