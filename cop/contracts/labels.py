"""Labels of the contracts' stored codes, for the pages and the PDF."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from cop.contracts.models import ContractState, SignatoryRole
from cop.filters import number

STATE_LABELS = {ContractState.GENERATED: _l("Généré, en attente de signatures"), ContractState.SIGNED: _l("Signé")}
ROLE_LABELS = {SignatoryRole.TERRITORY: _l("Le territoire"), SignatoryRole.REGION: _l("La Région"),
               SignatoryRole.STATE: _l("L’État")}


def register(bp) -> None:
    """Make the labels available to every template."""
    bp.add_app_template_global(STATE_LABELS, "CONTRACT_STATE_LABELS")
    bp.add_app_template_global(ROLE_LABELS, "CONTRACT_ROLE_LABELS")
    bp.add_app_template_filter(figure, "figure")
    bp.add_app_template_filter(date.fromisoformat, "isodate")


def figure(value) -> str:
    """A number of the frozen document (an integer, or a decimal written as text) as the reader writes it."""
    if value is None:
        return "—"
    amount = Decimal(str(value))
    return number(amount, 0 if amount == amount.to_integral_value() else 2)
