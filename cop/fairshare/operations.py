"""The presidency changes the sharing method: a new public version, recorded in the audit log."""
import hashlib
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference
from cop.db import db
from cop.errors import Conflict, Invalid
from cop.fairshare import figures_csv
from cop.fairshare.compute import current_basis, epci_parties
from cop.fairshare.models import FairShareBasis, FairShareCriterion, FairShareFigure, ShareMethod
from cop.rulebook import allowed

MAX_NOTE = 2000


def set_basis(user: User, conference: Conference, method: str, *, seen: int, note: str = "",
              data: Optional[bytes] = None, filename: str = "", weights: str = "") -> FairShareBasis:
    """Put a new method in force: by population, or by the figures of a CSV file with weights.

    `seen` is the number of the version the form was read at (0: none), so that two presidents do not
    overwrite each other; nothing is written when one line of the file is wrong.
    """
    allowed("fair_share.set", user, conference)
    if method not in ShareMethod.__members__.values():
        raise Invalid("Méthode inconnue : par population ou par chiffres importés.")
    if len(note) > MAX_NOTE:
        raise Invalid("La note dépasse %(n)s caractères.", n=MAX_NOTE)
    current = current_basis(conference.id)
    if (current.number if current else 0) != seen:
        raise Conflict("La méthode a changé depuis l’ouverture de la page (version %(n)s) : rechargez-la.",
                       n=current.number if current else 0)
    basis = FairShareBasis(conference_id=conference.id, number=seen + 1, method=method, note=note.strip(),
                           author_id=user.id)
    if method == ShareMethod.FIGURES:
        _attach_figures(basis, conference, data, filename, weights)
    db.session.add(basis)
    try:
        db.session.flush()
    except IntegrityError:  # the same number taken meanwhile by a concurrent request
        db.session.rollback()
        raise Conflict("La méthode vient d’être modifiée par quelqu’un d’autre : rechargez la page.") from None
    record("fair_share.set", "conference", conference.id, actor=user, conference_id=conference.id,
           data={"version": basis.number, "method": method, "source_sha256": basis.source_sha256,
                 "weights": {c.name: str(c.weight) for c in basis.criteria}})
    return basis


def _attach_figures(basis: FairShareBasis, conference: Conference, data: Optional[bytes], filename: str,
                    weights: str) -> None:
    """Read the file and add its criteria and figures to the new version."""
    if not data:
        raise Invalid("Joignez le fichier CSV des chiffres par intercommunalité.")
    parties = epci_parties(conference.id)
    if not parties:
        raise Invalid("Aucune intercommunalité n’est partie à cette COP : rien à répartir.")
    text = figures_csv.decode(data)
    by_siren = {p.territory.code: p for p in parties}
    figures = figures_csv.read(text, {code: p.name for code, p in by_siren.items()})
    weight_of = figures_csv.parse_weights(weights, figures.criteria)
    for position, name in enumerate(figures.criteria):
        if not sum(row[position] for row in figures.rows.values()) and weight_of[name]:
            raise Invalid("Le critère « %(name)s » vaut zéro partout : donnez-lui un poids nul ou retirez-le.",
                          name=name)
    basis.source_name = (filename or "chiffres.csv")[:200]
    basis.source_sha256 = hashlib.sha256(data).hexdigest()
    for position, name in enumerate(figures.criteria):
        criterion = FairShareCriterion(position=position, name=name, weight=weight_of[name])
        criterion.figures = [FairShareFigure(territory_id=by_siren[siren].territory_id, value=row[position])
                             for siren, row in figures.rows.items()]
        basis.criteria.append(criterion)


def versions(conference_id: int) -> list[FairShareBasis]:
    """Every version of the method, newest first."""
    return list(db.session.scalars(select(FairShareBasis).where(FairShareBasis.conference_id == conference_id)
                                   .order_by(FairShareBasis.number.desc())))


def figure_count(basis_id: int) -> int:
    """How many figures a version holds."""
    return db.session.scalar(select(func.count(FairShareFigure.id)).join(FairShareCriterion)
                             .where(FairShareCriterion.basis_id == basis_id)) or 0


