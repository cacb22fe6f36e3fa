"""Forms of the commitments: priority filières, the draft with its lines, review, withdrawal, import."""
from decimal import Decimal
from typing import Callable, Optional

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Form, FormField, FieldList, HiddenField, SelectField, SelectMultipleField
from wtforms import SelectChoice, StringField, TextAreaField, ValidationError, widgets
from wtforms.validators import DataRequired, InputRequired, Length

from cop.commitments import labels
from cop.commitments.inputs import DraftInput, PledgeInput, SiteInput, SupportInput
from cop.commitments.models import FUNDERS, SITE_KINDS, SITE_STATUSES
from cop.numbers import parse_decimal, parse_year
from cop.territories import lookup

#: Names of the line lists of the draft form, for adding and removing rows.
LINE_LISTS = ("pledges", "supports", "sites")


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ParsedField(StringField):
    """A text field read by a parser of ours (`parse`, given by each subclass); `data` is what the parser returns, or
    None when it refuses (its French message becomes the field's error), and the field shows back what was typed."""

    parse: Callable[[str], object]

    @staticmethod
    def show(data) -> str:
        return str(data)

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        try:
            self.data = self.parse(self.raw)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.show(self.data)


class AmountField(ParsedField):
    """A number typed the French way ("1 200,5"); `data` is a Decimal or None."""

    parse = staticmethod(parse_decimal)

    @staticmethod
    def show(data) -> str:
        return format(Decimal(data).normalize(), "f")


class YearField(ParsedField):
    """A year on four digits; `data` is an int or None."""

    parse = staticmethod(parse_year)


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PriorityForm(FlaskForm):
    """Declare a priority filière."""

    sector = SelectField(_l("Filière"), validators=[DataRequired()])
    reason = TextAreaField(_l("Pourquoi cette filière (ressources du territoire)"),
                           validators=[DataRequired(), Length(max=1000)])


class PledgeForm(Form):
    """One pledge line; a line without indicator is ignored; empty years are those of the frame."""

    indicator = SelectField(_l("Indicateur"), validate_choice=False)
    reference_year = YearField(_l("Année de référence"))
    reference_value = AmountField(_l("Valeur de référence"))
    target_year = YearField(_l("Année cible"))
    unconditional = AmountField(_l("Valeur inconditionnelle"))
    conditional = AmountField(_l("Supplément conditionnel"))
    project = SelectField(_l("Projet du registre (facultatif)"), validate_choice=False)
    share = AmountField(_l("Part déclarée du projet (%)"))

    def is_blank(self) -> bool:
        return not self.indicator.data

    def project_id(self) -> Optional[int]:
        """The chosen project's id, None when none (or when the value is not a number)."""
        value = (self.project.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None


class SupportForm(Form):
    """One support request line; a line without funder is ignored."""

    funder = SelectField(_l("Financeur"), validate_choice=False)
    amount = AmountField(_l("Montant (€)"))
    purpose = StringField(_l("Objet"), validators=[Length(max=500)])
    indicators = MultiCheckboxField(_l("Cibles qu’elle conditionne"), validate_choice=False)

    def is_blank(self) -> bool:
        return not self.funder.data


class SiteForm(Form):
    """One site line; a line without name nor commune is ignored."""

    name = StringField(_l("Nom du site"), validators=[Length(max=200)])
    commune_code = StringField(_l("Commune (nom, code postal ou code INSEE)"), validators=[Length(max=200)])
    hectares = AmountField(_l("Surface (ha)"))
    kind = SelectField(_l("Type"), validate_choice=False)
    status = SelectField(_l("État"), validate_choice=False)

    def is_blank(self) -> bool:
        return not (self.name.data or "").strip() and not (self.commune_code.data or "").strip()


class DraftForm(FlaskForm):
    """The whole draft: frame, clarity texts, pledges, support requests, sites, partners."""

    version = HiddenField(validators=[InputRequired()])
    reference_year = YearField(_l("Année de référence"), validators=[InputRequired(_l("Indiquez l’année."))])
    target_year = YearField(_l("Année cible"), validators=[InputRequired(_l("Indiquez l’année."))])
    scope = TextAreaField(labels.TEXT_FIELDS["scope"], validators=[Length(max=20000)])
    actions = TextAreaField(labels.TEXT_FIELDS["actions"], validators=[Length(max=20000)])
    assumptions_method = TextAreaField(labels.TEXT_FIELDS["assumptions_method"], validators=[Length(max=20000)])
    local_preparation = TextAreaField(labels.TEXT_FIELDS["local_preparation"], validators=[Length(max=20000)])
    fairness_ambition = TextAreaField(labels.TEXT_FIELDS["fairness_ambition"], validators=[Length(max=20000)])
    regional_contribution = TextAreaField(labels.TEXT_FIELDS["regional_contribution"],
                                          validators=[Length(max=20000)])
    justification = TextAreaField(labels.TEXT_FIELDS["justification"], validators=[Length(max=20000)])
    pledges = FieldList(FormField(PledgeForm))
    supports = FieldList(FormField(SupportForm))
    sites = FieldList(FormField(SiteForm))
    partners = MultiCheckboxField(_l("Parties partenaires"), coerce=int, validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: Messages of the domain checks, by line id ("pledges-0") or list name ("pledges").
        self.line_errors: dict[str, list[str]] = {}

    # Validators run inside the request: plain gettext, so the template's select('string') keeps the message.
    def validate_pledges(self, field):
        if _mark_missing(field, ("unconditional",)):
            raise ValidationError(_("Chaque cible indique sa valeur inconditionnelle."))

    def validate_supports(self, field):
        if _mark_missing(field, ("amount",)):
            raise ValidationError(_("Chaque demande d’appui indique son montant."))

    def validate_sites(self, field):
        if _mark_missing(field, ("hectares",)):
            raise ValidationError(_("Chaque site indique sa surface."))

    def to_input(self) -> DraftInput:
        """The typed content as a domain input, blank lines left out."""
        lines = [e.form for e in self.pledges.entries if not e.form.is_blank()]
        supports = [e.form for e in self.supports.entries if not e.form.is_blank()]
        sites = [e.form for e in self.sites.entries if not e.form.is_blank()]
        return DraftInput(
            reference_year=self.reference_year.data, target_year=self.target_year.data,
            texts={name: getattr(self, name).data or "" for name in labels.TEXT_FIELDS},
            pledges=[PledgeInput(p.indicator.data, p.reference_year.data or self.reference_year.data,
                                 p.reference_value.data or Decimal(0), p.target_year.data or self.target_year.data,
                                 p.unconditional.data, p.conditional.data or Decimal(0), p.project_id(),
                                 Decimal(100) if p.share.data is None else p.share.data) for p in lines],
            supports=[SupportInput(s.funder.data, s.amount.data, s.purpose.data or "", list(s.indicators.data or []))
                      for s in supports],
            sites=[SiteInput(s.name.data or "", lookup.code_in(s.commune_code.data or ""), s.hectares.data,
                             s.kind.data, s.status.data) for s in sites],
            partner_ids=list(self.partners.data or []),
        )

    def set_choices(self, indicators, parties, projects=()) -> None:
        """Fill the select lists: catalogue indicators, the COP's projects, funders, site kinds, other parties."""
        self.project_choices = list(projects)
        for entry in self.pledges.entries:
            set_pledge_choices(entry.form, indicators, self.project_choices)
        for entry in self.supports.entries:
            set_support_choices(entry.form, indicators)
        for entry in self.sites.entries:
            set_site_choices(entry.form)
        self.partners.choices = choices((p.id, p.name) for p in parties)


def _mark_missing(field_list, names) -> bool:
    """Mark the empty required fields of the filled lines; True when there was one."""
    found = False
    for entry in field_list.entries:
        if entry.form.is_blank():
            continue
        for name in names:
            sub = entry.form[name]
            if sub.data is None and not sub.errors:
                sub.errors = [*sub.errors, _("Obligatoire pour une ligne remplie.")]
                found = True
    return found


def set_pledge_choices(line: PledgeForm, indicators, projects=()) -> None:
    """Indicators of the catalogue, each with its unit; the COP's projects (a sealed one by its seal)."""
    line.indicator.choices = choices([("", _l("— choisir —"))] + [(i.code, f"{i.name} ({i.unit})")
                                                                   for i in indicators])
    line.project.choices = choices([("", _l("— aucun —"))] + list(projects))


def set_support_choices(line: SupportForm, indicators) -> None:
    """Funders, and the indicators a request may condition."""
    line.funder.choices = choices([("", _l("— choisir —"))] + [(c, labels.funder(c)) for c in FUNDERS])
    line.indicators.choices = choices((i.code, i.name) for i in indicators)


def set_site_choices(line: SiteForm) -> None:
    """Kinds and statuses of sites."""
    line.kind.choices = choices((c, labels.site_kind(c)) for c in SITE_KINDS)
    line.status.choices = choices((c, labels.site_status(c)) for c in SITE_STATUSES)


class ReviewForm(FlaskForm):
    """The presidency's decision on a submitted version."""

    decision = SelectField(_l("Décision"), choices=choices([("accept", _l("Accepter dans la synthèse")),
                                                            ("return", _l("Renvoyer à la partie"))]))
    comment = TextAreaField(_l("Commentaire"), validators=[Length(max=5000)])


class WithdrawForm(FlaskForm):
    """Withdraw a filed commitment, saying why."""

    reason = TextAreaField(_l("Motif du retrait"), validators=[DataRequired(), Length(max=2000)])


class ImportForm(FlaskForm):
    """Upload a CSV file of pledges."""

    file = FileField(_l("Fichier CSV"), validators=[FileRequired()])
    encoding = SelectField(_l("Encodage du fichier"), choices=choices([
        ("utf-8", _l("UTF-8 (recommandé ; « CSV UTF-8 » dans Excel)")),
        ("cp1252", _l("Windows-1252 (« CSV (séparateur : point-virgule) » d’Excel sous Windows)")),
    ]))
