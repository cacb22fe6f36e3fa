"""Forms of the follow-up: a progress report, its review."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length


class ReportForm(FlaskForm):
    """What the party achieved for one pledge in one year."""

    pledge_id = HiddenField(validators=[DataRequired()])
    row_version = HiddenField()
    year = IntegerField(_l("Année"), validators=[InputRequired()])
    achieved_value = StringField(_l("Valeur atteinte"), validators=[DataRequired(), Length(max=40)])
    evidence_url = StringField(_l("Lien vers le justificatif (http:// ou https://)"), validators=[Length(max=500)])
    comment = TextAreaField(_l("Commentaire"), validators=[Length(max=5000)])


class ReviewForm(FlaskForm):
    """The presidency's verdict on a report."""

    row_version = HiddenField()
    verdict = RadioField(_l("Décision"), validators=[InputRequired()], choices=[
        SelectChoice("accept", _l("Accepter")), SelectChoice("question", _l("Interroger la partie"))])
    comment = TextAreaField(_l("Question ou remarque"), validators=[Length(max=5000)])
