"""The rulebook's table: for every action, on what it acts and who may do it (phases.py says when)."""
from cop.rulebook import who

#: SEALED: a sealable object (a project, a commitment, a registry site), asked through its COP.
CONFERENCE, PARTY, MEETING, SEALED = "conference", "party", "meeting", "sealed"

_chair = (MEETING, who.chair)
_speaker = (MEETING, who.speaker)
_managers = (CONFERENCE, who.managers)

#: action → (what it acts on, who may do it).
ACTIONS: dict[str, tuple] = {
    "conference.edit": _managers,
    "conference.move_phase": (CONFERENCE, who.presidency),
    "rules.set": (CONFERENCE, who.presidency),
    "rules.propose": (CONFERENCE, who.presidency),
    "targets.set": _managers,
    "fair_share.set": (CONFERENCE, who.presidency),
    "site.register": _managers,
    "funder.register": _managers,
    "budget.set": (PARTY, who.funder_member),
    "support.answer": (PARTY, who.funder_member),
    "party.invite": _managers,
    "party.accredit": _managers,
    "member.invite": _managers,
    "member.accredit": _managers,
    "member.allow_vote": (PARTY, who.delegation_manager),
    "priorities.declare": (PARTY, who.filer),
    "commitment.file": (PARTY, who.filer),
    "commitment.revise": (PARTY, who.filer),
    "commitment.withdraw": (PARTY, who.filer),
    "commitment.step_back": (PARTY, who.filer),
    "commitment.review": _managers,
    "commitment.comment": (PARTY, who.review_party),
    "project.register": (PARTY, who.filer),
    # Sealed, then revealed (projects, commitments, sites alike): its holder seals and reveals it; the presidency
    # reveals it at its date; the holder and those the rules of procedure name read it before.
    "seal.seal": (SEALED, who.seal_holder),
    "seal.reveal": (SEALED, who.seal_holder),
    "seal.reveal_due": (SEALED, lambda user, obj: who.presidency(user, obj.seal_conference)),
    "seal.read": (SEALED, who.sealed_reader),
    "meeting.schedule": _managers,
    "agenda.edit": (MEETING, lambda user, meeting: who.managers(user, meeting.conference)),
    **{name: _chair for name in (
        "meeting.open", "meeting.suspend", "meeting.resume", "meeting.close", "item.open", "item.next",
        "rollcall.record", "floor.give", "floor.next", "floor.remove", "floor.invite_observer", "timer.start",
        "timer.stop", "text.create", "text.edit", "text.resolve", "text.status", "amendment.take_up",
        "amendment.integrate", "amendment.bracket", "amendment.set_aside", "decision.propose", "decision.gavel",
        "decision.cancel", "decision.take_note", "objection.overrule", "vote.open", "vote.close")},
    **{name: _speaker for name in (
        "floor.request", "floor.withdraw", "amendment.table", "amendment.cosponsor", "amendment.revise",
        "amendment.withdraw")},
    "objection.raise": (MEETING, who.objector),
    "objection.withdraw": (MEETING, who.objector),
    "vote.cast": (MEETING, who.voter),
    "vote.change": (MEETING, who.voter),
    "roadmap.generate": _managers,
    "roadmap.frame": _managers,
    "roadmap.submit": _managers,
    "roadmap.sign": (PARTY, who.signer),
    "roadmap.amend": (PARTY, who.signer),
    "contract.generate": _managers,
    "contract.sign": (PARTY, who.signer),
    "contract.disburse": (PARTY, who.filer),
    "progress.report": (PARTY, who.filer),
    "progress.review": _managers,
    "edition.next": (CONFERENCE, who.presidency),
}
