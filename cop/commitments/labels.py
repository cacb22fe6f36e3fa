"""French labels of the codes used by commitments: statuses, funders, site kinds and statuses, fields."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Brouillon"),
    "submitted": _l("Soumis"),
    "accepted": _l("Accepté"),
    "returned": _l("Renvoyé"),
    "withdrawn": _l("Retiré"),
}
FUNDER_LABELS = {
    "state": _l("État"),
    "region": _l("Région"),
    "bpifrance": _l("Bpifrance"),
    "banque_des_territoires": _l("Banque des Territoires"),
    "eu": _l("Union européenne"),
    "other": _l("Autre"),
}
SITE_KIND_LABELS = {"brownfield": _l("Friche"), "ready_land": _l("Site clés en main")}
SITE_STATUS_LABELS = {
    "identified": _l("Identifié"),
    "in_progress": _l("En cours d’aménagement"),
    "available": _l("Disponible"),
    "occupied": _l("Occupé"),
}
#: The text fields of a version, in reading order, with their labels.
TEXT_FIELDS = {
    "scope": _l("Périmètre"),
    "actions": _l("Actions"),
    "assumptions_method": _l("Hypothèses et méthode"),
    "local_preparation": _l("Préparation locale (qui a été consulté)"),
    "fairness_ambition": _l("En quoi l’engagement est juste et ambitieux"),
    "regional_contribution": _l("Contribution à l’objectif régional"),
    "justification": _l("Justification d’un recul"),
}
FIELD_LABELS = {
    "reference_year": _l("Année de référence"),
    "target_year": _l("Année cible"),
    **TEXT_FIELDS,
    "pledges": _l("Cibles chiffrées"),
    "supports": _l("Demandes d’appui"),
    "sites": _l("Sites"),
    "partners": _l("Parties partenaires"),
}


def status(code: str) -> str:
    """The label of a commitment or version status."""
    return str(STATUS_LABELS.get(code, code))


def funder(code: str) -> str:
    """The label of a funder."""
    return str(FUNDER_LABELS.get(code, code))


def site_kind(code: str) -> str:
    """The label of a site kind."""
    return str(SITE_KIND_LABELS.get(code, code))


def site_status(code: str) -> str:
    """The label of a site status."""
    return str(SITE_STATUS_LABELS.get(code, code))
