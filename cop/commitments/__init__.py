"""Commitments: priority filières, versioned commitments, the progression check, CSV import, the synthesis."""
from flask import Blueprint

bp = Blueprint("commitments", __name__, url_prefix="/cop")


@bp.record_once
def _keep_sums(state) -> None:
    """Recompute the synthesis's sums kept with the data in each transaction that changes what they count."""
    from cop.commitments import filing_sums
    from cop.public import stamp

    stamp.before_renew(filing_sums.before_renew)


from cop.commitments import edit_views, import_views, review_views, views  # noqa: E402,F401

