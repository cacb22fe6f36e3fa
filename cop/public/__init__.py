"""The citizens' portal: home, « Mon territoire », public COP and filière pages, search, Atom feeds."""
from flask import Blueprint

bp = Blueprint("public", __name__)


@bp.record_once
def _install_stamp(state) -> None:
    """Renew the publication stamp on every write to a public table, from any session."""
    from cop.public import stamp

    stamp.install()


@bp.record_once
def _template_helpers(state) -> None:
    """Helpers the portal's templates share."""
    from cop.pagination import page_url
    from cop.public.paging import canonical_url

    state.app.add_template_global(page_url, "page_url")
    state.app.add_template_global(canonical_url, "canonical_url")


from cop.public import feeds, views  # noqa: E402,F401
