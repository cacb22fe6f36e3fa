"""A COP's calendar and rules: their names in French, their allowed ranges, the checks before a change."""
from datetime import date

from cop.conferences.models import DECISION_MODES, VOTE_WEIGHTINGS, Conference, Target
from cop.db import db
from cop.errors import Invalid
from cop.rulebook.enums import SealedReaders, values

FIELD_LABELS = {
    "title": "titre", "description": "présentation", "phase": "phase",
    "opens_on": "date d'ouverture", "commitments_due_on": "date limite des engagements",
    "negotiation_on": "date de la négociation", "adoption_on": "date de l'adoption",
    "horizon_year": "année d'horizon", "decision_mode": "mode de décision",
    "objection_window_seconds": "délai d'objection", "vote_weighting": "pondération des votes",
    "secret_ballot": "vote à bulletin secret", "speaking_time_seconds": "temps de parole",
    "max_priority_sectors": "nombre maximal de filières prioritaires", "quorum_percent": "quorum",
    "consensus_quorum": "quorum des décisions par consensus",
    "sealed_readers": "lecture des contenus scellés (projets, engagements, sites)",
    "signature_act_required": "acte autorisant la signature",
}
CALENDAR = ("opens_on", "commitments_due_on", "negotiation_on", "adoption_on")
#: Inclusive bounds of the numeric rules.
RANGES = {
    "objection_window_seconds": (10, 3600), "speaking_time_seconds": (30, 1800),
    "max_priority_sectors": (1, 30), "quorum_percent": (1, 100),
}
CHOICES = {"decision_mode": DECISION_MODES, "vote_weighting": VOTE_WEIGHTINGS, "sealed_readers": values(SealedReaders)}
#: The rules of procedure: set by the presidency before the first plenary, then changed by the plenary only.
RULES = ("decision_mode", "objection_window_seconds", "vote_weighting", "secret_ballot", "speaking_time_seconds",
         "max_priority_sectors", "quorum_percent", "consensus_quorum", "sealed_readers",
         "signature_act_required")
SETTINGS = ("title", "description", *CALENDAR, "horizon_year", *RULES)
HORIZON_SPAN = 50


class FieldsInvalid(Invalid):
    """Invalid input that names the form fields at fault, so a form can mark them."""

    def __init__(self, message: str, fields: tuple[str, ...], **params):
        super().__init__(message, **params)
        self.fields = fields


def _int(name: str, value) -> int:
    """An integer setting, or FieldsInvalid naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdigit():
        raise FieldsInvalid(
            "Le champ « %(field)s » attend un nombre entier.",
            (name,), field=FIELD_LABELS[name])
    return int(value)


def check_calendar(values: dict) -> None:
    """Refuse a calendar whose dates, where given, are not in the order of the phases."""
    dated = [(name, values[name]) for name in CALENDAR if values.get(name) is not None]
    for (first, first_day), (second, second_day) in zip(dated, dated[1:]):
        if not isinstance(first_day, date) or not isinstance(second_day, date):
            raise FieldsInvalid("Une date du calendrier n'est pas valide.", (first, second))
        if second_day < first_day:
            raise FieldsInvalid(
                "Calendrier dans le désordre : la %(field)s (%(second_day)s) tombe avant la "
                "%(field2)s (%(first_day)s). Rien n'a été enregistré.",
                (first, second), field=FIELD_LABELS[second], second_day=format(second_day, "%d/%m/%Y"),
                field2=FIELD_LABELS[first], first_day=format(first_day, "%d/%m/%Y"))


def _check_horizon(conference: Conference, horizon: int) -> None:
    """The horizon lies after the edition and after every regional target already set."""
    if not conference.edition_year <= horizon <= conference.edition_year + HORIZON_SPAN:
        raise FieldsInvalid(
            "L'année d'horizon doit être comprise entre %(edition_year)s et %(edition_year2)s.",
            ("horizon_year",), edition_year=conference.edition_year,
            edition_year2=conference.edition_year + HORIZON_SPAN)
    last = db.session.scalar(db.select(db.func.max(Target.year)).filter_by(conference_id=conference.id))
    if last is not None and horizon < last:
        raise FieldsInvalid(
            "L'année d'horizon ne peut précéder %(last)s, année d'objectifs régionaux déjà fixés.",
            ("horizon_year",), last=last)


def _check_text(values: dict) -> None:
    """A title of 1 to 200 characters; the description is free Markdown."""
    values["title"] = (values["title"] or "").strip()
    values["description"] = (values["description"] or "").strip()
    if not values["title"] or len(values["title"]) > 200:
        raise FieldsInvalid("Le titre est obligatoire (200 caractères au plus).", ("title",))


def check_settings(conference: Conference, given: dict) -> dict:
    """Return every setting, the given ones checked and the others as they are; raise FieldsInvalid."""
    unknown = set(given) - set(SETTINGS)
    if unknown:
        raise Invalid("Réglage inconnu : %(list)s.", list=', '.join(sorted(unknown)))
    values = {name: given.get(name, getattr(conference, name)) for name in SETTINGS}
    _check_text(values)
    check_calendar(values)
    values["horizon_year"] = _int("horizon_year", values["horizon_year"])
    _check_horizon(conference, values["horizon_year"])
    for name, (low, high) in RANGES.items():
        values[name] = _int(name, values[name])
        if not low <= values[name] <= high:
            raise FieldsInvalid(
                "Le champ « %(field)s » doit être compris entre %(low)s et %(high)s.",
                (name,), field=FIELD_LABELS[name], low=low, high=high)
    for name, allowed in CHOICES.items():
        if values[name] not in allowed:
            raise FieldsInvalid(
                "Valeur non reconnue pour « %(field)s ».",
                (name,), field=FIELD_LABELS[name])
    values["secret_ballot"] = bool(values["secret_ballot"])
    values["consensus_quorum"] = bool(values["consensus_quorum"])
    values["signature_act_required"] = bool(values["signature_act_required"])
    return values
