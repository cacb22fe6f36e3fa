"""Draft texts: versions with labels, bracketed options, statuses, word-level diffs and refusals."""
import pytest

from cop.db import db, utcnow
from cop.errors import Conflict, Forbidden, Invalid
from cop.negotiation.texts import operations as texts
from cop.negotiation.texts.diff import compare_versions, html, word_diff
from cop.negotiation.texts.models import DraftVersion, Paragraph
from tests.negotiation.conftest import do, refused


def test_a_draft_starts_at_version_one_with_its_label(neg):
    version = db.session.scalar(db.select(DraftVersion).filter_by(draft_id=neg.draft.id))
    assert version.number == 1 and not version.is_clean
    assert version.label.startswith("Projet de texte de la présidence — version du ")
    assert [p["number"] for p in version.paragraphs] == [1, 2, 3]
    assert texts.options(version.paragraphs[0]["text"]) == [["2 000", "3 000"]]


def test_resolving_the_last_option_gives_a_clean_text(neg):
    data = do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=1)
    assert data["draft"]["version"] == 2 and data["draft"]["is_clean"] is True
    assert data["draft"]["paragraphs"][0]["text"].startswith("La COP fixe l’objectif de 3 000 emplois")
    assert data["reason"] == "§ 1 : la présidence retient « 3 000 »"


def test_agreeing_a_bracketed_paragraph_is_refused_then_allowed(neg):
    error = refused(neg.u.chair, neg.meeting, "text.status", paragraph_id=neg.p[0], version=1, status="agreed_ad_ref")
    assert isinstance(error, Conflict) and "crochets" in error.message
    data = do(neg.u.chair, neg.meeting, "text.status", paragraph_id=neg.p[1], version=1, status="agreed_ad_ref")
    assert data["draft"]["paragraphs"][1]["status"] == "agreed_ad_ref"


@pytest.mark.parametrize("who", ["lyon", "lyon_delegate", "observer"])
def test_only_the_chair_edits_the_text(neg, who):
    error = refused(getattr(neg.u, who), neg.meeting, "text.edit", paragraph_id=neg.p[1], version=1, text="Autre.")
    assert isinstance(error, Forbidden)


def test_a_stale_edit_is_refused_and_says_what_changed(neg):
    do(neg.u.chair, neg.meeting, "text.edit", paragraph_id=neg.p[1], version=1, text="Les parties réhabilitent 200 ha.")
    error = refused(neg.u.chair, neg.meeting, "text.edit", paragraph_id=neg.p[1], version=1, text="Autre chose.")
    assert isinstance(error, Conflict)
    assert "version 2" in error.message and "§ 2 reformulé par la présidence" in error.message
    assert db.session.get(Paragraph, neg.p[1]).text == "Les parties réhabilitent 200 ha."


@pytest.mark.parametrize("text", ["[ouvert", "fermé]", "[a [b] c]", "", 42])
def test_malformed_text_is_refused(neg, text):
    error = refused(neg.u.chair, neg.meeting, "text.edit", paragraph_id=neg.p[1], version=1, text=text)
    assert isinstance(error, Invalid)


def test_hostile_ids_are_not_found(neg):
    for bad in ("1", None, 10**9, True):
        assert refused(neg.u.chair, neg.meeting, "text.edit", paragraph_id=bad, version=1, text="x").status == 404


def test_an_item_takes_one_draft_and_only_from_staff(neg):
    error = refused(neg.u.chair, neg.meeting, "text.create", item_id=neg.item.id, title="Bis", body="Texte.")
    assert isinstance(error, Conflict)
    error = refused(neg.u.lyon, neg.meeting, "text.create", item_id=neg.other.id, title="T", body="Texte.")
    assert isinstance(error, Forbidden)
    data = do(neg.u.chair, neg.meeting, "text.create", item_id=neg.other.id, title="Divers", body="Un.\n\nDeux.")
    assert [p["number"] for p in data["draft"]["paragraphs"]] == [1, 2]


def test_word_diff_marks_words_and_escapes_markup():
    pieces = word_diff("créer 2 000 emplois", "créer <b>3 000</b> emplois d’ici 2030")
    out = str(html(pieces))
    assert "<del>2</del>" in out and "&lt;b&gt;3" in out and "<ins> d’ici 2030</ins>" in out
    assert "<b>" not in out


def test_compare_versions_lists_added_removed_and_changed(neg):
    old = [{"id": 1, "number": 1, "text": "Un deux", "status": "bracketed"},
           {"id": 2, "number": 2, "text": "Supprimé", "status": "bracketed"}]
    new = [{"id": 1, "number": 1, "text": "Un trois", "status": "agreed_ad_ref"},
           {"id": 3, "number": 2, "text": "Nouveau", "status": "bracketed"}]
    changes = compare_versions(old, new)
    assert [c.change for c in changes] == ["changed", "removed", "added"]
    assert "<del>deux</del><ins>trois</ins>" in str(changes[0].html)


def test_resolving_a_single_bracket_can_drop_it(neg):
    texts.edit_paragraph(neg.u.chair, neg.meeting, db.session.get(Paragraph, neg.p[2]), 1,
                         "Le secrétariat publie [chaque année] un bilan.", utcnow())
    db.session.commit()
    data = do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[2], version=2, group=0, option=1)
    assert data["draft"]["paragraphs"][2]["text"] == "Le secrétariat publie un bilan."
