"""Negotiation forms: the draft text of an item (other actions post plain command forms)."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cop.negotiation.limits import MAX_DRAFT, MAX_TITLE


class DraftForm(FlaskForm):
    """The presidency's draft text of an item: Markdown, one paragraph per block."""

    title = StringField("Intitulé du projet de texte", validators=[
        DataRequired("Donnez un intitulé au projet de texte."), Length(max=MAX_TITLE)])
    body = TextAreaField("Texte (un paragraphe par bloc, séparés par une ligne vide)", validators=[
        DataRequired("Le texte est obligatoire."), Length(max=MAX_DRAFT)])
