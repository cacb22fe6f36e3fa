"""Words for the registry's stored codes, in the reader's language."""
from flask_babel import lazy_gettext as _l

from cop.sites.models import IcpeRegime, SiteStatus, SiteUse

STATUS_LABELS = {
    SiteStatus.BROWNFIELD: _l("Friche"),
    SiteStatus.REHABILITATING: _l("En réhabilitation"),
    SiteStatus.READY: _l("Prêt à l’emploi"),
    SiteStatus.TAKEN: _l("Occupé"),
}
ICPE_LABELS = {
    IcpeRegime.NONE: _l("Non classé"),
    IcpeRegime.DECLARATION: _l("ICPE – déclaration"),
    IcpeRegime.REGISTRATION: _l("ICPE – enregistrement"),
    IcpeRegime.AUTHORISATION: _l("ICPE – autorisation"),
    IcpeRegime.SEVESO_LOW: _l("Seveso seuil bas"),
    IcpeRegime.SEVESO_HIGH: _l("Seveso seuil haut"),
}
USE_LABELS = {
    SiteUse.REHABILITATES: _l("réhabilite le site"),
    SiteUse.USES: _l("s’implante sur le site"),
}
