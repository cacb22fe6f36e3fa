"""The conference-level forms refuse what the rulebook refuses, and say its reason: signing the roadmap, reporting
progress, the commitment actions (submit, review — accept or return —, withdraw), phase moves and the rules of
procedure. Each refused attempt (wrong role, wrong party, wrong phase, wrong state, an unaccredited signer) answers
the rulebook's status, shows its reason in French and, with the language switched, in English, and writes nothing:
the rows, their states and the audit log are the same before and after."""
import html

import pytest
from flask_babel import force_locale

from cop import rulebook
from cop.audit.models import AuditEvent
from cop.commitments.models import Commitment, CommitmentVersion
from cop.conferences.models import Conference, Membership, PhaseChange, RulesVersion
from cop.db import db
from cop.followup import services as followup
from cop.followup.models import ProgressReport
from cop.roadmap.models import Signature
from cop.rulebook.phases import step_allows
from cop.rulebook.states import object_allows
from tests.commitment_helpers import build_world, draft_input, file
from tests.conftest import AuthActions
from tests.fresh_client import make_client
from tests.roadmap.test_adoption import adopted
from tests.test_conferences import _settings


def _record() -> tuple:
    """Everything a refused form could have written: rows, their states, the audit log."""
    db.session.expire_all()

    def rows(model, *columns):
        return sorted(db.session.execute(db.select(model.id, *columns)).all())

    return (db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)),
            rows(Commitment, Commitment.status, Commitment.version),
            rows(CommitmentVersion, CommitmentVersion.status),
            rows(Signature), rows(ProgressReport, ProgressReport.state, ProgressReport.achieved_value),
            rows(PhaseChange), rows(RulesVersion, RulesVersion.state),
            rows(Conference, Conference.phase, Conference.quorum_percent, Conference.version))


def refused(app, user, path: str, data: dict, answer, french: str, english: str) -> None:
    """Post as `user` in French then in English: the rulebook's status and reason each time, nothing written."""
    assert not answer, "the rulebook must refuse this attempt"
    for language, reason in (("fr", french), ("en", english)):
        with force_locale(language):
            assert answer.message == reason
    before = _record()
    for language, reason in (("fr", french), ("en", english)):
        client = make_client(app)
        AuthActions(client).login(user.email)
        client.get(f"/langue/{language}")
        response = client.post(path, data=data)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == answer.error.status, (language, response.status_code)
        assert reason in page, (language, reason)
        assert _record() == before, language


# --- Commitments -----------------------------------------------------------------------------------------------


@pytest.fixture
def filing(make):
    """A COP in its call: party A filed (and submitted) "automobile", holds a never-filed draft for "bois"."""
    world = build_world(make)
    filed = file(world, world.a, "automobile", draft_input(), accept=False)
    fresh = file(world, world.a, "bois", draft_input(), accept=False)
    fresh.versions[-1].status = "draft"
    fresh.status = "draft"
    fresh.versions[-1].submitted_dt = None
    db.session.commit()
    return world, filed, fresh


def _url(world, commitment, tail: str) -> str:
    return f"/cop/{world.conference.id}/engagements/{commitment.id}/{tail}"


def test_submitting_for_a_party_one_does_not_file_for(app, filing):
    world, filed, fresh = filing
    refused(app, world.assistant_a, _url(world, fresh, "soumettre"), {"version": fresh.version},
            rulebook.ask("commitment.file", world.assistant_a, world.a),
            "Vous ne pouvez pas déposer d’engagement pour cette partie.",
            "You cannot file commitments for this party.")


def test_submitting_a_new_commitment_after_the_call(app, filing):
    world, filed, fresh = filing
    world.conference.phase = "negotiation"
    db.session.commit()
    refused(app, world.head_a, _url(world, fresh, "soumettre"), {"version": fresh.version},
            rulebook.ask("commitment.file", world.head_a, world.a),
            "L’appel à engagements est clos : seuls les engagements déjà déposés peuvent être relevés.",
            "The call for commitments is closed: only commitments already filed may be raised.")


def test_submitting_with_no_draft_open(app, filing):
    world, filed, fresh = filing
    from cop.rulebook.states import draft_open

    refused(app, world.head_a, _url(world, filed, "soumettre"), {"version": filed.version}, draft_open(filed),
            "Cet engagement n’a pas de brouillon ouvert : ouvrez une nouvelle version.",
            "This commitment has no open draft: open a new version.")


def test_withdrawing_another_partys_commitment(app, filing):
    world, filed, fresh = filing
    refused(app, world.head_b, _url(world, filed, "retirer"), {"reason": "Nous retirons."},
            rulebook.ask("commitment.withdraw", world.head_b, world.a, filed),
            "Vous ne pouvez pas déposer d’engagement pour cette partie.",
            "You cannot file commitments for this party.")


def test_withdrawing_after_the_call(app, filing):
    world, filed, fresh = filing
    world.conference.phase = "negotiation"
    db.session.commit()
    refused(app, world.head_a, _url(world, filed, "retirer"), {"reason": "Nous retirons."},
            rulebook.ask("commitment.withdraw", world.head_a, world.a, filed),
            "Un engagement ne peut être retiré que pendant l’appel à engagements.",
            "A commitment can be withdrawn only during the call for commitments.")


def test_withdrawing_a_commitment_never_filed(app, filing):
    world, filed, fresh = filing
    refused(app, world.head_a, _url(world, fresh, "retirer"), {"reason": "Nous retirons."},
            rulebook.ask("commitment.withdraw", world.head_a, world.a, fresh),
            "Seul un engagement déposé et non retiré peut être retiré.",
            "Only a filed commitment that is not withdrawn can be withdrawn.")


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_a_party_reviewing_its_own_version(app, filing, decision):
    world, filed, fresh = filing
    version = filed.versions[-1]
    refused(app, world.head_a, _url(world, filed, f"versions/{version.number}/examen"),
            {"decision": decision, "comment": "Très bien."},
            rulebook.ask("commitment.review", world.head_a, world.conference, version),
            "Seules la présidence et le secrétariat de la COP peuvent faire cela.",
            "Only the COP's presidency and secretariat may do this.")


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_reviewing_a_version_already_reviewed(app, filing, decision):
    world, filed, fresh = filing
    version = filed.versions[-1]
    version.status = filed.status = "accepted"
    db.session.commit()
    refused(app, world.presidency, _url(world, filed, f"versions/{version.number}/examen"),
            {"decision": decision, "comment": "Encore."},
            rulebook.ask("commitment.review", world.presidency, world.conference, version),
            "Cette version a déjà été examinée ou n’a pas été soumise.",
            "This version has already been reviewed or was not submitted.")


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_reviewing_once_the_cop_is_closed(app, filing, decision):
    world, filed, fresh = filing
    world.conference.phase = "closed"
    db.session.commit()
    version = filed.versions[-1]
    refused(app, world.presidency, _url(world, filed, f"versions/{version.number}/examen"),
            {"decision": decision, "comment": "Trop tard."},
            rulebook.ask("commitment.review", world.presidency, world.conference, version),
            "La COP n’examine pas d’engagement dans sa phase actuelle.",
            "The COP reviews no commitment in its current phase.")


def test_the_pages_offer_only_what_the_rulebook_allows(app, filing):
    """The buttons follow the same answers: no withdrawal after the call, no review form for a party."""
    world, filed, fresh = filing
    client = make_client(app)
    AuthActions(client).login(world.head_a.email)
    show = client.get(_url(world, filed, "")[:-1]).get_data(as_text=True)
    assert "/examen" not in show
    client.post(_url(world, filed, "nouvelle-version"))
    assert "/retirer" in client.get(_url(world, filed, "brouillon")).get_data(as_text=True)
    world.conference.phase = "negotiation"
    db.session.commit()
    assert "/retirer" not in client.get(_url(world, filed, "brouillon")).get_data(as_text=True)
    presidency = make_client(app)
    AuthActions(presidency).login(world.presidency.email)
    assert "/examen" in presidency.get(_url(world, filed, "")[:-1]).get_data(as_text=True)


# --- The roadmap's signatures and progress reports ----------------------------------------------------------------


def _sign(version) -> tuple[str, dict]:
    conference = version.roadmap.conference
    return f"/cop/{conference.id}/feuille-de-route/v{version.number}/signer", {"sha256": version.sha256}


def test_a_delegate_signing_for_the_party(app, make):
    s, version = adopted(make)
    delegate = make.member(s.conference, "delegate", s.parties[0], may_file=True)
    db.session.commit()
    refused(app, delegate, *_sign(version), rulebook.ask("roadmap.sign", delegate, s.parties[0]),
            "Seul le chef de délégation de « CC numéro 1 » signe pour elle.",
            "Only the head of delegation of “CC numéro 1” signs for it.")


def test_an_unaccredited_head_signing(app, make):
    s, version = adopted(make)
    head = s.heads[0]
    db.session.scalar(db.select(Membership).filter_by(user_id=head.id)).is_accredited = False
    db.session.commit()
    refused(app, head, *_sign(version), rulebook.ask("roadmap.sign", head, s.parties[0]),
            "Votre accréditation de chef de délégation n’a pas encore été prononcée : vous ne pouvez pas signer.",
            "Your accreditation as head of delegation has not been granted yet: you cannot sign.")


def test_signing_once_the_cop_is_closed(app, make):
    s, version = adopted(make)
    s.conference.phase = "closed"
    db.session.commit()
    refused(app, s.heads[0], *_sign(version), rulebook.ask("roadmap.sign", s.heads[0], s.parties[0]),
            "Impossible en phase « Clôturée » : seulement en phase « Adoption », « Mise en œuvre ».",
            "Not possible in the “Closed” phase: only in “Adoption”, “Implementation”.")


def test_signing_a_draft_version(app, make):
    from cop.roadmap import services as roadmap

    s, version = adopted(make)
    draft = roadmap.generate_draft(s.secretariat, s.conference)
    db.session.commit()
    path, data = _sign(draft)
    refused(app, s.heads[0], path, {"sha256": "0" * 64}, object_allows("roadmap.sign", draft),
            f"La version {draft.number} n’est pas la version adoptée en vigueur : seule celle-ci se signe.",
            f"Version {draft.number} is not the adopted version in force: only that one is signed.")


@pytest.fixture
def reporting(make):
    """An adopted roadmap in implementation, party 1's pledge to report on."""
    s, version = adopted(make)
    s.conference.phase = "implementation"
    db.session.commit()
    pledge = next(p["id"] for c in version.content["chapters"] for p in c["pledges"] if p["party"] == s.parties[0].id)
    return s, pledge


def _report(s, party, pledge) -> tuple[str, dict]:
    return (f"/cop/{s.conference.id}/bilan/parties/{party.id}/rapports",
            {"pledge_id": pledge, "year": "2027", "achieved_value": "12"})


def test_reporting_for_another_party(app, reporting):
    s, pledge = reporting
    refused(app, s.heads[1], *_report(s, s.parties[0], pledge),
            rulebook.ask("progress.report", s.heads[1], s.parties[0]),
            "Vous ne pouvez pas déposer d’engagement pour cette partie.",
            "You cannot file commitments for this party.")


def test_reporting_before_implementation(app, reporting):
    s, pledge = reporting
    s.conference.phase = "adoption"
    db.session.commit()
    refused(app, s.heads[0], *_report(s, s.parties[0], pledge),
            rulebook.ask("progress.report", s.heads[0], s.parties[0]),
            "Impossible en phase « Adoption » : seulement en phase « Mise en œuvre ».",
            "Not possible in the “Adoption” phase: only in “Implementation”.")


def test_correcting_an_accepted_report(app, reporting):
    s, pledge = reporting
    item = followup.report(s.heads[0], s.parties[0], pledge, 2027, "10")
    followup.review(s.presidency, item, True)
    db.session.commit()
    refused(app, s.heads[0], *_report(s, s.parties[0], pledge), object_allows("progress.report", item),
            "Le rapport 2027 de cette cible a déjà été accepté par la présidence.",
            "The 2027 report of this pledge has already been accepted by the presidency.")


def test_a_party_reviewing_its_report_and_a_second_review(app, reporting):
    s, pledge = reporting
    item = followup.report(s.heads[0], s.parties[0], pledge, 2027, "10")
    db.session.commit()
    path = f"/cop/{s.conference.id}/bilan/rapports/{item.id}/examen"
    refused(app, s.heads[0], path, {"verdict": "accept"},
            rulebook.ask("progress.review", s.heads[0], s.conference),
            "Seules la présidence et le secrétariat de la COP peuvent faire cela.",
            "Only the COP's presidency and secretariat may do this.")
    followup.review(s.presidency, item, True)
    db.session.commit()
    refused(app, s.presidency, path, {"verdict": "accept"}, object_allows("progress.review", item),
            "Ce rapport a déjà été examiné : la partie doit d’abord le déposer à nouveau.",
            "This report has already been reviewed: the party must first file it again.")


# --- Phase moves and the rules of procedure --------------------------------------------------------------------------


def _cop(make, phase: str):
    conference = make.conference(phase=phase)
    people = {role: make.member(conference, role) for role in ("presidency", "secretariat")}
    db.session.commit()
    return conference, people


def _move(conference, to: str) -> tuple[str, dict]:
    return f"/cop/{conference.id}/phase", {"to_phase": to, "confirm": "y", "version": conference.version,
                                             "reason": "Une raison écrite en toutes lettres."}


def test_the_secretariat_moving_the_phase(app, make):
    conference, people = _cop(make, "call_for_commitments")
    refused(app, people["secretariat"], *_move(conference, "negotiation"),
            rulebook.ask("conference.move_phase", people["secretariat"], conference),
            "Seule la présidence de la COP peut faire cela.", "Only the COP's presidency may do this.")


@pytest.mark.parametrize("to, french, english", [
    ("adoption", "Pas de saut d'étape : la COP est en phase « Appel à engagements », la seule étape suivante est "
                 "« Négociation ».",
     "No skipping a step: the COP is in the “Call for commitments” phase, and the only next step is “Negotiation”."),
    ("call_for_commitments", "La COP est déjà en phase « Appel à engagements ».",
     "The COP is already in the “Call for commitments” phase."),
])
def test_the_presidency_jumping_a_phase(app, make, to, french, english):
    conference, people = _cop(make, "call_for_commitments")
    refused(app, people["presidency"], *_move(conference, to), step_allows(conference.phase, to), french, english)


def test_the_secretariat_typing_the_rules(app, make):
    conference, people = _cop(make, "preparation")
    refused(app, people["secretariat"], f"/cop/{conference.id}/reglages", _settings(conference, quorum_percent="1"),
            rulebook.ask("rules.set", people["secretariat"], conference),
            "Seule la présidence de la COP peut faire cela.", "Only the COP's presidency may do this.")


def test_proposing_a_revision_of_the_rules(app, make):
    conference, people = _cop(make, "preparation")
    path, data = f"/cop/{conference.id}/reglement/revision", _settings(conference, quorum_percent="1")
    refused(app, people["presidency"], path, data, rulebook.ask("rules.propose", people["presidency"], conference),
            "Impossible en phase « Préparation » : seulement en phase « Négociation », « Adoption », "
            "« Mise en œuvre ».",
            "Not possible in the “Preparation” phase: only in “Negotiation”, “Adoption”, “Implementation”.")
    conference.phase = "negotiation"
    db.session.commit()
    refused(app, people["secretariat"], path, data, rulebook.ask("rules.propose", people["secretariat"], conference),
            "Seule la présidence de la COP peut faire cela.", "Only the COP's presidency may do this.")
