"""French labels of meeting codes, as template globals."""
from flask_babel import lazy_gettext as _l

from cop.meetings import bp

KIND_LABELS = {"plenary": _l("Plénière"), "contact_group": _l("Groupe de contact"),
               "informal": _l("Consultation informelle"), "review": _l("Session annuelle d’examen")}
STATE_LABELS = {"scheduled": _l("Programmée"), "open": _l("Ouverte"), "suspended": _l("Suspendue"),
                "closed": _l("Close")}
ITEM_STATE_LABELS = {"pending": _l("À venir"), "open": _l("En discussion"), "done": _l("Traité")}


@bp.app_template_global()
def meeting_kind_label(code: str) -> str:
    """The label of a kind of meeting."""
    return str(KIND_LABELS.get(code, code))


@bp.app_template_global()
def meeting_state_label(code: str) -> str:
    """The label of a meeting's state."""
    return str(STATE_LABELS.get(code, code))


@bp.app_template_global()
def item_state_label(code: str) -> str:
    """The label of an agenda item's state."""
    return str(ITEM_STATE_LABELS.get(code, code))


@bp.app_template_global()
def speaking(state: dict):
    """The request of whoever has the floor in a snapshot, or None."""
    return next((r for r in state["speakers"] if r["state"] == "speaking"), None)


@bp.app_template_global()
def waiting(state: dict) -> list:
    """The requests still waiting for the floor in a snapshot, in order."""
    return [r for r in state["speakers"] if r["state"] == "waiting"]
