"""Forms of a COP: creation, calendar and rules, phase moves, parties."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cop import labels
from cop.conferences.models import DECISION_MODES, VOTE_WEIGHTINGS
from cop.conferences.parties import ORGANISATION_KINDS
from cop.rulebook.enums import SealedReaders

WHOLE = _l("Indiquez un nombre entier.")
DAY = _l("Indiquez une date valide (jj/mm/aaaa).")


class CsrfForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions and the targets table."""


class CreateConferenceForm(FlaskForm):
    """Open a COP for a region."""

    region_id = SelectField(_l("Région"), coerce=int, validators=[InputRequired(_l("Choisissez une région."))])
    edition_year = IntegerField(_l("Année d'édition"), validators=[InputRequired(WHOLE)])
    title = StringField(_l("Titre"), validators=[Length(max=200)],
                        description=_l("Laissé vide : « COP industrielle <région> <année> »."))
    code = StringField(_l("Code"), validators=[Length(max=40)],
                       description=_l("Référence des décisions ; laissé vide : par exemple « COP-AURA-2027 »."))
    description = TextAreaField(_l("Présentation"), validators=[Length(max=20000)],
                                description=_l("Texte en Markdown, publié sur la page de la COP."))


class RulesFields(FlaskForm):
    """The rules of procedure (cop/conferences/rules.py RULES)."""

    decision_mode = SelectField(_l("Mode de décision"),
                                choices=[SelectChoice(c, labels.DECISION_MODE_LABELS[c]) for c in DECISION_MODES])
    objection_window_seconds = IntegerField(_l("Délai d'objection (secondes)"), validators=[InputRequired(WHOLE)])
    vote_weighting = SelectField(_l("Pondération des votes"),
                                 choices=[SelectChoice(c, labels.VOTE_WEIGHTING_LABELS[c]) for c in VOTE_WEIGHTINGS])
    secret_ballot = BooleanField(_l("Vote à bulletin secret"))
    speaking_time_seconds = IntegerField(_l("Temps de parole (secondes)"), validators=[InputRequired(WHOLE)])
    max_priority_sectors = IntegerField(_l("Nombre maximal de filières prioritaires par partie"),
                                        validators=[InputRequired(WHOLE)])
    quorum_percent = IntegerField(_l("Quorum (en pourcentage des parties accréditées)"),
                                  validators=[InputRequired(WHOLE)])
    consensus_quorum = BooleanField(_l("Le quorum s’applique aussi aux décisions par consensus"))
    sealed_readers = SelectField(_l("Qui peut lire un contenu scellé (projet, engagement, site) avant sa révélation"),
                                 choices=[SelectChoice(c, labels.SEALED_READERS_LABELS[c]) for c in SealedReaders])
    signature_act_required = BooleanField(_l("Chaque signature de la feuille de route joint l’acte qui l’autorise "
                                             "(délibération ou délégation de signature)"))

    def settings(self) -> dict:
        """The submitted values keyed by Conference column."""
        return {name: field.data for name, field in self._fields.items()
                if name not in ("version", "csrf_token", "agenda_item_id")}


class SettingsForm(RulesFields):
    """The title, calendar and rules of a COP, with the version they were read at."""

    version = HiddenField()
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Le titre est obligatoire.")), Length(max=200)])
    description = TextAreaField(_l("Présentation (Markdown)"), validators=[Length(max=20000)])
    opens_on = DateField(_l("Date d'ouverture"), validators=[Optional()], format="%Y-%m-%d")
    commitments_due_on = DateField(_l("Date limite des engagements"), validators=[Optional()], format="%Y-%m-%d")
    negotiation_on = DateField(_l("Date de la négociation"), validators=[Optional()], format="%Y-%m-%d")
    adoption_on = DateField(_l("Date de l'adoption"), validators=[Optional()], format="%Y-%m-%d")
    horizon_year = IntegerField(_l("Année d'horizon"), validators=[InputRequired(WHOLE)])


class RulesForm(RulesFields):
    """A proposed revision of the rules of procedure, and the plenary's agenda item that will decide it."""

    agenda_item_id = SelectField(_l("Point de l’ordre du jour d’une plénière qui en décidera"), coerce=int,
                                 validate_choice=False)


class PhaseForm(FlaskForm):
    """Move a COP to the next phase, or back one with a reason."""

    version = HiddenField()
    to_phase = HiddenField()
    reason = TextAreaField(_l("Raison"), validators=[Length(max=2000)])
    confirm = BooleanField(_l("Je confirme ce changement de phase, en connaissance de ce qui reste en suspens."))


class TerritoryPartyForm(FlaskForm):
    """Invite one territory by its official code."""

    kind = SelectField(_l("Type de territoire"), choices=[SelectChoice("epci", "EPCI (SIREN)"),
                       SelectChoice("departement", _l("Département (code INSEE)")),
                       SelectChoice("region", _l("Région (code INSEE)"))])
    code = StringField(_l("Code officiel"), validators=[DataRequired(_l("Indiquez le code du territoire.")),
                                                    Length(max=16)])


class OrganisationPartyForm(FlaskForm):
    """Invite a named organisation."""

    name = StringField(_l("Nom de l'organisation"), validators=[DataRequired(_l("Indiquez le nom de l'organisation.")),
                                                           Length(max=200)])
    kind = SelectField(_l("Type"), choices=[SelectChoice(k, labels.PARTY_KIND_LABELS[k]) for k in ORGANISATION_KINDS])
