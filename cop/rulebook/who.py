"""Who: the roles allowed to act, as answers with a reason (cop/permissions.py finds the memberships)."""
from flask_babel import lazy_gettext as _l

from cop import permissions
from cop.rulebook.answer import YES, Answer, no
from cop.rulebook.enums import Accreditation, Role, SealedReaders


def _signed_in(user) -> bool:
    """A logged-in, active account."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and not user.is_disabled)


def managers(user, conference) -> Answer:
    """The presidency and the secretariat run the COP."""
    if permissions.can_manage_conference(user, conference):
        return YES
    return no(_l("Seules la présidence et le secrétariat de la COP peuvent faire cela."))


def presidency(user, conference) -> Answer:
    """The presidency itself, not the secretariat."""
    if permissions.is_presidency(user, conference):
        return YES
    return no(_l("Seule la présidence de la COP peut faire cela."))


def chair(user, meeting) -> Answer:
    """The meeting's chair, its co-facilitators and the COP's managers."""
    if permissions.can_chair_meeting(user, meeting):
        return YES
    return no(_l("Seule la présidence de séance peut faire cela."))


def speaker(user, meeting) -> Answer:
    """An accredited delegate of an accredited party."""
    if permissions.speaking_membership(user, meeting.conference) is not None:
        return YES
    return no(_l("Seuls les délégués accrédités d’une partie accréditée peuvent faire cela."))


def participant(user, meeting) -> Answer:
    """Anyone signed in who follows the meeting acts on their own requests (the command checks whose)."""
    if _signed_in(user) and permissions.can_watch_meeting(user, meeting):
        return YES
    return no(_l("Connectez-vous comme participant de cette séance."))


def objector(user, meeting) -> Answer:
    """The head of an accredited delegation objects to a consensus."""
    if permissions.objecting_membership(user, meeting.conference) is not None:
        return YES
    return no(_l("Seul le chef d’une délégation accréditée peut objecter."))


def voter(user, meeting) -> Answer:
    """A party votes through its head, or a delegate the head allows."""
    if permissions.voting_membership(user, meeting.conference) is not None:
        return YES
    return no(_l("Seul le chef de délégation, ou un délégué qu’il y autorise, vote pour une partie."))


def filer(user, party) -> Answer:
    """The party's head, or a delegate the head allows, files for it."""
    if permissions.can_file_for_party(user, party):
        return YES
    return no(_l("Vous ne pouvez pas déposer d’engagement pour cette partie."))


def review_party(user, party) -> Answer:
    """Those who file for the party, and the COP's managers, discuss the review of its commitments."""
    if permissions.can_file_for_party(user, party) or permissions.can_manage_conference(user, party.conference):
        return YES
    return no(_l("Seules la partie et la présidence de la COP échangent sur l’examen de ses engagements."))


def delegation_manager(user, party) -> Answer:
    """The head of delegation, or the COP's managers, run a delegation."""
    if permissions.can_manage_delegation(user, party):
        return YES
    return no(_l("Seuls le chef de délégation et la présidence gèrent cette délégation."))


def signer(user, party) -> Answer:
    """The party's own head of delegation, accredited, of an accredited party."""
    m = permissions.party_membership(user, party)
    if m is None or m.role != Role.HEAD_OF_DELEGATION:
        return no(_l("Seul le chef de délégation de « %(party)s » signe pour elle.", party=party.name))
    if party.accreditation != Accreditation.ACCREDITED:
        return no(_l("« %(party)s » n’est pas accréditée : elle ne signe ni la feuille de route ni les contrats "
                     "de la COP.", party=party.name))
    if not m.is_accredited:
        return no(_l("Votre accréditation de chef de délégation n’a pas encore été prononcée : "
                     "vous ne pouvez pas signer."))
    return YES


def creator(user, region_id) -> Answer:
    """Administrators and the region's staff open a COP."""
    if permissions.can_create_conference(user, region_id):
        return YES
    return no(_l("Vous ne pouvez pas ouvrir de COP pour cette région."))


def funder_member(user, party) -> Answer:
    """The funder's own delegation (its head, or a delegate the head allows) answers and sets its budgets."""
    if permissions.can_file_for_party(user, party):
        return YES
    return no(_l("Seule la délégation de ce financeur peut faire cela."))


#: The roles each setting of the rules of procedure lets read a sealed content before its reveal.
SEALED_READING_ROLES = {
    SealedReaders.PRESIDENCY: (Role.PRESIDENCY,),
    SealedReaders.MANAGERS: (Role.PRESIDENCY, Role.SECRETARIAT),
    SealedReaders.MANAGERS_AND_STATE: (Role.PRESIDENCY, Role.SECRETARIAT),
}


def seal_holder(user, obj) -> Answer:
    """Who holds a sealed object: its party's filers (a project, a commitment), or the COP's managers (a site of
    the registry, which they keep)."""
    party = getattr(obj, "party", None)
    if party is not None:
        return filer(user, party)
    return managers(user, obj.seal_conference)


def sealed_reader(user, obj) -> Answer:
    """Its holder, and those the rules of procedure name (presidency, secretariat, the State's services), read a
    sealed content before its reveal."""
    conference = obj.seal_conference
    m = permissions.membership(user, conference) if _signed_in(user) else None
    if m is not None and m.role in SEALED_READING_ROLES[SealedReaders(conference.sealed_readers)]:
        return YES
    if (m is not None and conference.sealed_readers == SealedReaders.MANAGERS_AND_STATE and m.party is not None
            and m.party.kind == "state" and m.is_accredited):
        return YES
    if _signed_in(user) and seal_holder(user, obj):
        return YES
    return no(_l("Le règlement intérieur de cette COP ne vous permet pas de lire un contenu scellé avant sa "
                 "révélation."))
