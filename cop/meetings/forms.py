"""Forms of meetings: scheduling, agenda items, and the buttons of the no-JavaScript door."""
from datetime import timezone
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

KIND_CHOICES = [("plenary", "Plénière"), ("contact_group", "Groupe de contact (une filière)"),
                ("informal", "Consultation informelle"),
                ("review", "Session annuelle d’examen des parties (mise en œuvre)")]


class MeetingTimeField(DateTimeLocalField):
    """A date and time picker read in the COP's time zone (COP_TIMEZONE) and kept with its zone, in UTC."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Indiquez une date et une heure valides.") from None
        if self.data is not None:
            zone = ZoneInfo(str(get_timezone()))  # the zone the pages show times in: COP_TIMEZONE
            self.data = self.data.replace(tzinfo=zone).astimezone(timezone.utc)


class ScheduleForm(FlaskForm):
    """Schedule a meeting of a COP."""

    kind = SelectField("Type de séance", choices=KIND_CHOICES)
    title = StringField("Titre", validators=[DataRequired("Le titre est obligatoire."), Length(max=200)])
    sector_id = SelectField("Filière (groupe de contact)", coerce=int, validators=[Optional()],
                            description="Obligatoire pour un groupe de contact.")
    starts_dt = MeetingTimeField("Date et heure", format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired("Indiquez une date et une heure valides.")])
    place = StringField("Lieu", validators=[Length(max=200)])
    chair_id = SelectField("Présidence de séance", coerce=int, validators=[InputRequired("Choisissez qui préside.")])
    cofacilitator_ids = SelectMultipleField("Co-facilitateurs", coerce=int, validators=[Optional()],
                                            description="Pour un groupe de contact : une ou deux personnes.")
    is_public = BooleanField("Séance publique (retransmise en direct à tous)")


class AgendaItemForm(FlaskForm):
    """Add a point to the agenda."""

    version = HiddenField()
    title = StringField("Intitulé du point", validators=[DataRequired("L’intitulé est obligatoire."), Length(max=200)])
    description = TextAreaField("Présentation (Markdown)", validators=[Length(max=5000)])


class VersionForm(FlaskForm):
    """A one-button agenda action, with the version it was read at."""

    version = HiddenField()


class CommandForm(FlaskForm):
    """A live command sent without JavaScript: the same domain function as the WebSocket door."""

    name = HiddenField(validators=[DataRequired()])
    command_id = HiddenField()
    request_id = HiddenField()
    item_id = HiddenField()
    user_id = HiddenField()
    point_of_order = HiddenField()

    def args(self) -> dict:
        """The command's arguments, from the hidden fields that are set."""
        args = {}
        for key in ("request_id", "item_id", "user_id"):
            value = getattr(self, key).data
            if value:
                args[key] = int(value) if str(value).isdigit() else value
        if self.point_of_order.data == "1":
            args["point_of_order"] = True
        return args
