"""French labels of the codes the portal shows (meetings, decisions, progress reports)."""
from flask_babel import lazy_gettext as _l

MEETING_STATE_LABELS = {"scheduled": _l("Prévue"), "open": _l("En cours"), "suspended": _l("Suspendue"),
                        "closed": _l("Terminée")}
DECISION_OUTCOME_LABELS = {"adopted": _l("Adoptée"), "noted": _l("Prend acte")}
DECISION_WAY_LABELS = {"consensus": _l("par consensus"), "vote": _l("par un vote"),
                       "taken_note": _l("la présidence prend acte")}
PROGRESS_STATE_LABELS = {"submitted": _l("Déclaré"), "accepted": _l("Validé"), "questioned": _l("En question")}
#: Everything above, for the templates.
ALL = {"MEETING_STATE_LABELS": MEETING_STATE_LABELS, "DECISION_OUTCOME_LABELS": DECISION_OUTCOME_LABELS,
       "DECISION_WAY_LABELS": DECISION_WAY_LABELS, "PROGRESS_STATE_LABELS": PROGRESS_STATE_LABELS}
