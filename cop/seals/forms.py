"""Sealing a commitment before it is filed: why it is confidential, and when it will be announced."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import Length, Optional


class SealForm(FlaskForm):
    """The reason and the announcement date, both published with the seal."""

    seal_reason = TextAreaField(_l("Pourquoi il est confidentiel (publié avec le sceau)"),
                                validators=[Length(max=1000)])
    announce_on = DateField(_l("Date d’annonce prévue"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
