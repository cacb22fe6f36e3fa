"""The site form (the COP's managers) and the link form."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectChoice, SelectField, StringField
from wtforms import TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cop.errors import DomainError
from cop.numbers import parse_decimal
from cop.sites.labels import ICPE_LABELS, STATUS_LABELS, USE_LABELS
from cop.sites.models import IcpeRegime, SiteStatus, SiteUse
from cop.sites.operations import SiteInput
from cop.territories import lookup


HUGE = Decimal("1e15")


class Number:
    """A field holding a non-negative number typed the French way."""

    def __init__(self, required: bool = False):
        self.required = required

    def __call__(self, form, field):
        try:
            value = parse_decimal(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if value is None and self.required:
            raise ValidationError(_l("Indiquez un nombre."))
        # The size first: quantizing a number beyond the context's precision raises instead of answering.
        if value is not None and (value < 0 or value >= HUGE or value != value.quantize(Decimal("0.01"))):
            raise ValidationError(_l("Un nombre positif est attendu, deux décimales au plus."))


class SiteForm(FlaskForm):
    """A site of the registry."""

    name = StringField(_l("Nom du site"), validators=[DataRequired(_l("Donnez un nom au site.")), Length(max=200)])
    commune = StringField(_l("Commune"), validators=[DataRequired(_l("Indiquez la commune.")), Length(max=100)])
    hectares = StringField(_l("Surface (ha)"), validators=[Number(required=True), Length(max=20)])
    status = SelectField(_l("Statut"), choices=[SelectChoice(s.value, STATUS_LABELS[s]) for s in SiteStatus])
    owner = StringField(_l("Propriétaire"), validators=[Length(max=200)])
    available_on = DateField(_l("Disponible à partir du"), validators=[Optional()],
                             format=["%Y-%m-%d", "%d/%m/%Y"])
    power_mw = StringField(_l("Puissance électrique disponible (MW)"), validators=[Number(), Length(max=20)])
    rail_access = BooleanField(_l("Desserte ferroviaire"))
    port_access = BooleanField(_l("Accès portuaire ou fluvial"))
    icpe = SelectField(_l("Régime ICPE autorisé"), choices=[SelectChoice(r.value, ICPE_LABELS[r]) for r in IcpeRegime])
    land_take_avoided_ha = StringField(_l("Artificialisation évitée (ha, compte ZAN)"),
                                       validators=[Number(), Length(max=20)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    #: At registration only: a confidential site is sealed until its announcement (cop/sites/sealing.py).
    sealed = BooleanField(_l("Site confidentiel : sceller son nom, sa commune, son propriétaire et sa description "
                             "jusqu’à son annonce"))
    seal_reason = TextAreaField(_l("Pourquoi il est confidentiel (publié avec le sceau)"),
                                validators=[Length(max=1000)])
    announce_on = DateField(_l("Date d’annonce prévue"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    seen = HiddenField()

    def to_input(self, region_code: str) -> SiteInput | None:
        """The parsed site, or None with the commune's error beside its field."""
        try:
            commune = lookup.find_commune(self.commune.data, region_code)
        except DomainError as error:
            self.commune.errors = [error.message]
            return None
        return SiteInput(
            name=self.name.data, commune=commune, hectares=parse_decimal(self.hectares.data),
            status=self.status.data, owner=(self.owner.data or "").strip(), available_on=self.available_on.data,
            power_mw=parse_decimal(self.power_mw.data), rail_access=self.rail_access.data,
            port_access=self.port_access.data, icpe=self.icpe.data,
            land_take_avoided_ha=parse_decimal(self.land_take_avoided_ha.data) or Decimal(0),
            description=(self.description.data or "").strip())


class LinkForm(FlaskForm):
    """Tie a filed commitment to the site."""

    commitment_id = SelectField(_l("Engagement"), coerce=int, validate_choice=False,
                                validators=[InputRequired(_l("Choisissez un engagement."))])
    use = SelectField(_l("L’engagement"), choices=[SelectChoice(u.value, USE_LABELS[u]) for u in SiteUse])
