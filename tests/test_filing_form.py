"""Filing without losing a word: refused submissions keep the input, one-step save and submit, rows, autosave."""
import pytest

from cop.commitments.models import Commitment, CommitmentVersion
from cop.db import db
from tests.commitment_helpers import TEXTS, build_world
from tests.test_commitments_views import _started, form


@pytest.fixture
def world(make):
    w = build_world(make)
    db.session.commit()
    return w


def _url(world, commitment, tail="brouillon"):
    return f"/cop/{world.conference.id}/engagements/{commitment.id}/{tail}"


def test_submitting_without_saving_first_keeps_every_typed_value(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    typed = form(commitment.version, "345", scope="", actions="Une phrase tapée que l’on ne doit pas perdre.",
                 action="submit")
    response = client.post(_url(world, commitment), data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Une phrase tapée que l’on ne doit pas perdre." in page and 'value="345"' in page
    assert "À compléter avant de soumettre" in page.split('id="scope-error"')[1][:100]
    assert 'aria-invalid="true"' in page
    db.session.expire_all()
    assert db.session.scalar(db.select(CommitmentVersion)).status == "draft"
    assert not db.session.scalar(db.select(CommitmentVersion)).pledges    # nothing half-written


def test_save_and_submit_is_one_action(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    response = client.post(_url(world, commitment), data=form(commitment.version, "345", action="submit"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/engagements/{commitment.id}")
    db.session.expire_all()
    version = db.session.scalar(db.select(CommitmentVersion))
    assert version.status == "submitted" and version.pledges[0].unconditional_value == 345


def test_old_submit_door_shows_the_form_again_on_refusal(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    response = client.post(_url(world, commitment, "soumettre"), data={"version": commitment.version})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'name="pledges-0-indicator"' in page and "Ajoutez au moins une cible" in page


def test_domain_problem_is_shown_beside_its_line(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    data = form(commitment.version, **{"pledges-1-indicator": "jobs-created", "pledges-1-reference_year": "2025",
                                       "pledges-1-target_year": "2030", "pledges-1-unconditional": "4"})
    response = client.post(_url(world, commitment), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    line = page.split('id="pledges-1-line"')[1].split("</fieldset>")[0]
    assert "figure deux fois" in line and 'value="4"' in line


def test_rows_are_added_and_removed_without_javascript(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    data = form(commitment.version, **{"supports-0-funder": "", "add": "sites"})
    data.pop("sites-0-name"), data.pop("sites-0-commune_code")
    page = client.post(_url(world, commitment), data=data).get_data(as_text=True)
    assert 'name="sites-0-name"' in page and 'name="sites-1-name"' not in page
    assert 'value="120"' in page                             # what was typed is still there
    data = form(commitment.version, **{"pledges-1-indicator": "jobs-maintained", "pledges-1-unconditional": "7",
                                       "remove": "pledges-0"})
    page = client.post(_url(world, commitment), data=data).get_data(as_text=True)
    assert 'name="pledges-0-indicator"' not in page and 'name="pledges-1-indicator"' in page
    assert 'value="7"' in page and 'value="120"' not in page
    db.session.expire_all()
    assert not db.session.scalar(db.select(CommitmentVersion)).pledges     # adding a row saves nothing


@pytest.mark.parametrize("text, code", [("Lyon", "69123"), ("69001", "69123"), ("lyon", "69123"),
                                        ("Lyon (69123)", "69123"), ("69123", "69123")])
def test_site_given_by_name_or_postcode(world, client, auth, text, code):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    data = form(commitment.version, **{"sites-0-name": "Friche", "sites-0-commune_code": text,
                                       "sites-0-hectares": "3", "sites-0-kind": "brownfield",
                                       "sites-0-status": "identified"})
    assert client.post(_url(world, commitment), data=data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(CommitmentVersion)).sites[0].commune.code == code
    assert "Lyon (69123)" in client.get(_url(world, commitment)).get_data(as_text=True)


def test_ambiguous_or_unknown_commune_is_a_clear_error(world, make, client, auth):
    make.commune(world.a.territory, "69999", "Lyon-Bis", ("69001",))
    db.session.commit()
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    data = form(commitment.version, **{"sites-0-name": "Friche", "sites-0-commune_code": "69001",
                                       "sites-0-hectares": "3", "sites-0-kind": "brownfield",
                                       "sites-0-status": "identified"})
    page = client.post(_url(world, commitment), data=data).get_data(as_text=True)
    assert "Lyon (69123)" in page and "Lyon-Bis (69999)" in page and "précisez" in page
    data["sites-0-commune_code"] = "Atlantis"
    response = client.post(_url(world, commitment), data=data)
    assert response.status_code == 422 and "Aucune commune" in response.get_data(as_text=True)


def test_indicator_options_show_their_unit(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    page = client.get(_url(world, commitment)).get_data(as_text=True)
    indicator = world.indicators["jobs-created"]
    assert f"{indicator.name} ({indicator.unit})" in page


def test_autosave_keeps_an_incomplete_input_and_a_complete_one_becomes_the_draft(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    half = {**form(commitment.version, ""), "actions": "Brouillon à moitié tapé."}
    response = client.post(_url(world, commitment, "brouillon/auto"), data=half)
    assert response.status_code == 200 and response.json["saved"] is False
    page = client.get(_url(world, commitment)).get_data(as_text=True)
    assert "Brouillon à moitié tapé." in page and "restaurée" in page
    whole = form(commitment.version, "12")
    response = client.post(_url(world, commitment, "brouillon/auto"), data=whole)
    assert response.status_code == 200 and response.json["saved"] is True
    db.session.expire_all()
    draft = db.session.scalar(db.select(CommitmentVersion))
    assert draft.pledges[0].unconditional_value == 12 and draft.form_state is None
    assert response.json["version"] == db.session.get(Commitment, commitment.id).version


def test_autosave_refuses_others_and_stale_copies(world, client, auth):
    commitment = _started(world)
    auth.login("chef.b@example.fr")
    assert client.post(_url(world, commitment, "brouillon/auto"), data=form(commitment.version)).status_code == 404
    auth.logout()
    auth.login("assistant.a@example.fr")
    assert client.post(_url(world, commitment, "brouillon/auto"), data=form(commitment.version)).status_code == 403
    auth.logout()
    auth.login("chef.a@example.fr")
    response = client.post(_url(world, commitment, "brouillon/auto"), data=form(commitment.version - 1, ""))
    assert response.status_code == 409 and "message" in response.json
    db.session.expire_all()
    assert db.session.scalar(db.select(CommitmentVersion)).form_state is None


def test_partner_picker_is_searchable(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    page = client.get(_url(world, commitment)).get_data(as_text=True)
    assert 'data-filter="partners"' in page and 'src="/static/js/draft-form.js?v=' in page


def test_texts_survive_a_refusal_unchanged(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    data = form(commitment.version, "-1")
    page = client.post(_url(world, commitment), data=data).get_data(as_text=True)
    assert all(text.replace("’", "&#39;") in page or text in page for text in TEXTS.values())


def test_declare_and_start_in_one_step(world, client, auth):
    auth.login("chef.a@example.fr")
    response = client.post(f"/cop/{world.conference.id}/parties/{world.a.id}/engagements",
                           data={"sector": "bois", "reason": "Forêts du massif.", "then": "start"})
    commitment = db.session.scalar(db.select(Commitment))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/engagements/{commitment.id}/brouillon")


@pytest.mark.parametrize("phase", ["preparation", "negotiation"])
def test_the_desk_says_before_typing_that_filing_is_closed_and_who_opens_it(world, client, auth, phase):
    world.conference.phase = phase
    db.session.commit()
    auth.login("chef.a@example.fr")
    page = client.get(f"/cop/{world.conference.id}/parties/{world.a.id}/engagements").get_data(as_text=True)
    assert "Le dépôt n’est pas ouvert" in page and world.presidency.name in page
    assert "disabled" in page.split("Ajouter et rédiger")[0].rsplit("<button", 1)[1]


def test_the_draft_form_says_filing_is_closed(world, client, auth):
    commitment = _started(world)
    world.conference.phase = "preparation"
    db.session.commit()
    auth.login("chef.a@example.fr")
    page = client.get(_url(world, commitment)).get_data(as_text=True)
    assert "Le dépôt n’est pas ouvert" in page and "seulement en phase « Appel à engagements »" in page


def test_delegation_and_desk_link_to_each_other(world, client, auth):
    auth.login("chef.a@example.fr")
    desk = f"/cop/{world.conference.id}/parties/{world.a.id}/engagements"
    delegation = f"/cop/{world.conference.id}/parties/{world.a.id}/delegation"
    assert f'href="{delegation}"' in client.get(desk).get_data(as_text=True)
    assert f'href="{desk}"' in client.get(delegation).get_data(as_text=True)


def test_a_commitment_starts_from_a_copy_of_another_of_the_party(world, client, auth):
    from tests.commitment_helpers import draft_input, file, site

    file(world, world.a, "automobile", draft_input("100", "20", sites=[site()]), accept=False)
    file(world, world.b, "bois", draft_input("7"), accept=False)
    db.session.commit()
    mine, theirs = db.session.scalars(db.select(Commitment).order_by(Commitment.id)).all()
    auth.login("chef.a@example.fr")
    desk = f"/cop/{world.conference.id}/parties/{world.a.id}/engagements"
    assert f'value="copy-{mine.id}"' in client.get(desk).get_data(as_text=True)
    response = client.post(desk, data={"sector": "bois", "reason": "Forêts.", "then": "start",
                                       "source": f"copy-{theirs.id}"})
    assert response.status_code == 422 and "pas un engagement de la partie" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Commitment.id))) == 2     # nothing half-written
    response = client.post(desk, data={"sector": "bois", "reason": "Forêts.", "then": "start",
                                       "source": f"copy-{mine.id}"})
    assert response.status_code == 302
    db.session.expire_all()
    copy = db.session.scalar(db.select(Commitment).filter_by(party_id=world.a.id, sector_id=world.sectors["bois"].id))
    draft = copy.versions[0]
    assert draft.status == "draft" and draft.pledges[0].unconditional_value == 100
    assert draft.support_requests[0].pledges == [draft.pledges[0]] and draft.sites[0].name == "Friche Vallourec"
