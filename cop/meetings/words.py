"""The words the live scripts say by themselves (connection, timer, presence, countdown), in the reader's language.

The scripts hold no sentence of their own: the page hands them this vocabulary (`data-words`), and every other
sentence or part comes rendered from the server (cop/meetings/fragments.py).
"""
from flask_babel import get_locale, gettext as _

from cop.meetings import bp


@bp.app_template_global()
def live_words() -> dict[str, str]:
    """The live scripts' vocabulary; {d}, {t}, {m}, {s}, {count}, {accredited}, {required} are filled in by them."""
    return {
        "lang": str(get_locale() or "fr"),
        "connecting": _("Connexion au direct…"), "online": _("En direct"), "offline": _("Connexion perdue"),
        "waiting": _("Connexion perdue : nouvelle tentative dans {d} s"),
        "refused": _("Accès au direct refusé : {d}"),
        "restart": _("Le serveur du direct redémarre : reconnexion…"),
        "command_refused": _("Refusé : {d}"),
        "clock": _("{m} min {s} s"), "left": _("Temps restant : {t}"), "over": _("Dépassement : {t}"),
        "stopped": _(" (chronomètre arrêté)"), "overtime": _("Temps de parole écoulé."),
        "presence_one": _("{count} délégation présente sur {accredited} accréditées ; quorum : {required}"),
        "presence_other": _("{count} délégations présentes sur {accredited} accréditées ; quorum : {required}"),
        "quorum_yes": _("quorum atteint."), "quorum_no": _("quorum non atteint."),
        "quorum_reached": _("Le quorum est atteint."), "quorum_lost": _("Le quorum n’est plus atteint."),
        "present": _("Présente"), "absent": _("Absente"),
        "countdown": _("Objections recevables encore {s} s."),
        "countdown_over": _("Délai écoulé : le marteau va tomber."),
    }
