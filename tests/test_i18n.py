"""The English interface: the language switch, the catalogue's completeness, dates and numbers per language."""
import ast
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, get_babel

from cop.db import db
from cop.filters import day, number
from tests import portal_data
from tests.commitment_helpers import TEXTS, build_world

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "cop" / "translations" / "en" / "LC_MESSAGES"
#: Error classes whose argument is a list of problems, not a message (their lines are composed by their callers).
# line problems of a file
PROBLEM_LISTS = {"ImportRefused", "InvalidDraft", "BulkRefused", "Invalidity", "FiguresRefused"}


def _extract_keywords() -> dict:
    """The keywords of the `pybabel extract` command documented in babel.cfg (`-k Name` or `-k Name:2`)."""
    command = next(line for line in (ROOT / "babel.cfg").read_text().splitlines() if "pybabel extract" in line)
    keywords = dict(DEFAULT_KEYWORDS)
    for spec in re.findall(r"-k (\S+)", command):
        name, _, position = spec.partition(":")
        keywords[name] = (int(position),) if position else None
    return keywords


KEYWORDS = _extract_keywords()
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%%")


def _catalogue():
    with (CATALOGUE / "messages.po").open("rb") as f:
        return read_po(f)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def portal():
    data = portal_data.build()
    db.session.commit()
    return data


def test_flask_babel_reads_the_committed_catalogue(app):
    assert get_babel(app).translation_directories == [str(ROOT / "cop" / "translations")]
    assert (CATALOGUE / "messages.mo").is_file()


def test_english_then_french_again(client, portal):
    assert client.get("/langue/en?next=/auth/login").headers["Location"] == "/auth/login"
    home = _page(client, "/")
    assert '<html lang="en">' in home
    for words in ('aria-label="Main menu"', "The COPs", "My area", "Open data", "Sign in", "The COPs by region",
                  "Parties: 3; having filed: 3; published commitments: 3, of which accepted: 1"):
        assert words in home
    assert "Se connecter" not in home and "Menu principal" not in home
    portal_page = _page(client, f"/portail/cop/{portal.conference.id}")
    assert "Call for commitments" in portal_page and "1,851,000 inhabitants out of 8,000,000" in portal_page
    assert "1 March 2027 at 10:30" in portal_page and " à 10:30" not in portal_page
    cop_page = _page(client, f"/cop/{portal.conference.id}")
    assert "Regional targets by sector and indicator" in cop_page and "Quorum: 50% of accredited parties." in cop_page
    login = _page(client, "/auth/login")
    assert "<h1>Sign in</h1>" in login and ">Email address</label>" in login and ">Password</label>" in login
    client.get("/langue/fr")
    home = _page(client, "/")
    assert '<html lang="fr">' in home and "Se connecter" in home and "Menu principal" in home
    assert "Sign in" not in home
    assert "1 mars 2027 à 10:30" in _page(client, f"/portail/cop/{portal.conference.id}")


def test_sectors_and_indicators_are_named_in_the_readers_language(client, portal):
    client.get("/langue/en")
    page = _page(client, f"/portail/cop/{portal.conference.id}")
    assert "Aeronautics" in page and "Industrial jobs created" in page and "Aéronautique" not in page
    client.get("/langue/fr")
    page = _page(client, f"/portail/cop/{portal.conference.id}")
    assert "Aéronautique" in page and "Emplois industriels créés" in page and "Aeronautics" not in page


def test_unknown_language_is_ignored_and_the_browser_is_heard(client):
    client.get("/langue/de")
    assert '<html lang="fr">' in _page(client, "/auth/login")
    english = client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Forgotten your password?" in english


def test_form_errors_are_translated_and_escaped(client, auth, make):
    make.region()
    make.user(email="admin@example.fr", is_admin=True)
    db.session.commit()
    auth.login("admin@example.fr")
    client.get("/langue/en")
    page = _page(client, "/cop/nouvelle")
    assert "If left blank: “COP industrielle &lt;region&gt; &lt;year&gt;”." in page
    client.get("/langue/fr")
    assert "« COP industrielle &lt;région&gt; &lt;année&gt; »" in _page(client, "/cop/nouvelle")
    response = client.post("/cop/nouvelle", data={"region_id": "", "edition_year": ""})
    assert "Indiquez un nombre entier." in response.get_data(as_text=True)
    client.get("/langue/en")
    response = client.post("/cop/nouvelle", data={"region_id": "", "edition_year": ""})
    assert "Enter a whole number." in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, message", [
    ("fr", "Chaque cible indique sa valeur inconditionnelle."),
    ("en", "Each pledge must state its unconditional value."),
])
def test_list_level_errors_of_the_draft_are_shown(client, auth, make, lang, message):
    from cop.commitments import services

    world = build_world(make)
    services.declare_priority(world.head_a, world.a, world.sectors["automobile"], "Équipementiers.")
    commitment = services.start_commitment(world.head_a, world.a, world.sectors["automobile"])
    db.session.commit()
    auth.login("chef.a@example.fr")
    client.get(f"/langue/{lang}")
    data = {"version": str(commitment.version), **TEXTS, "pledges-0-indicator": "jobs-created",
            "pledges-0-reference_year": "2025", "pledges-0-target_year": "2030", "pledges-0-unconditional": ""}
    response = client.post(f"/cop/{world.conference.id}/engagements/{commitment.id}/brouillon", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_percentages_follow_the_language(app):
    from cop.filters import percent

    with app.test_request_context():
        with force_locale("en"):
            assert (percent(50.0), percent(66.7), percent(None), percent(12.345, 0)) == ("50%", "66.7%", "—", "12%")
        with force_locale("fr"):
            assert (percent(50.0), percent(66.7)) == ("50\u00a0%", "66,7\u00a0%")


def test_dates_and_numbers_follow_the_language(app):
    moment = datetime(2027, 3, 1, 9, 30, tzinfo=timezone.utc)
    with app.test_request_context():
        with force_locale("en"):
            assert (day(date(2027, 4, 1)), day(moment), number(1851000), number(12.5, 2)) == (
                "1 April 2027", "1 March 2027 at 10:30", "1,851,000", "12.50")
        with force_locale("fr"):
            assert (day(date(2027, 4, 1)), day(moment), number(12.5, 2)) == (
                "1 avril 2027", "1 mars 2027 à 10:30", "12,50")


def _forms(value) -> tuple:
    """The singular and plural forms of a message id or string (one form when it has no plural)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def test_every_message_is_translated_with_the_same_placeholders():
    problems = []
    for message in _catalogue():
        if not message.id:
            continue
        source, strings = _forms(message.id)[0], _forms(message.string)
        if not all(strings) or message.fuzzy:
            problems.append(("untranslated", source))
        elif any(sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(s)) for s in strings):
            problems.append(("placeholders", source))
        elif any(c in s and c not in source for s in strings for c in "<>&"):
            problems.append(("markup", source))  # translations are trusted markup in Jinja: no new tags
    assert problems == []


def test_every_marked_string_of_the_code_is_in_the_catalogue():
    """A string marked for translation but not extracted and translated fails here (workflow in babel.cfg)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    marked = {msg if isinstance(msg, str) else msg[0]
              for _file, _line, msg, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map,
                                                                             keywords=KEYWORDS)}
    translated = {_forms(m.id)[0] for m in _catalogue() if m.id and all(_forms(m.string))}
    assert sorted(marked - translated) == []


def test_the_compiled_catalogue_matches_the_po_file():
    with (CATALOGUE / "messages.mo").open("rb") as f:
        compiled = {_forms(m.id): _forms(m.string) for m in read_mo(f) if m.id}
    assert compiled == {_forms(m.id): _forms(m.string) for m in _catalogue() if m.id and all(_forms(m.string))}


def _error_classes() -> set[str]:
    """Every subclass of DomainError defined in cop/ (by name, from the source)."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in (ROOT / "cop").rglob("*.py")]
    names, grown = {"DomainError"}, True
    while grown:
        grown = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        isinstance(base, ast.Name) and base.id in names for base in node.bases):
                    names.add(node.name)
                    grown = True
    return names


def test_every_error_class_is_an_extraction_keyword():
    assert sorted(_error_classes() - PROBLEM_LISTS - set(KEYWORDS)) == []


def test_every_domain_error_message_is_a_literal():
    """An f-string or a concatenation cannot be translated: the message is a literal and its values are params."""
    classes, problems = _error_classes() - PROBLEM_LISTS, []
    for path in (ROOT / "cop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
                position = (KEYWORDS.get(node.func.id) or (1,))[0]
                message = node.args[position - 1] if len(node.args) >= position else None
                if not (isinstance(message, ast.Constant) and isinstance(message.value, str)):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert problems == []


def test_domain_errors_speak_the_readers_language(app):
    from cop.errors import Conflict

    error = Conflict("Le délai d’objection court encore (%(left)s s).", left=12)
    with app.test_request_context():
        assert error.message_in("en") == "The objection period is still running (12 s)."
        assert error.message_in("fr") == "Le délai d’objection court encore (12 s)."
    assert str(error) == "Le délai d’objection court encore (12 s)."  # outside a request: French


def test_the_scripts_hold_no_sentence():
    """The live scripts take every word from the page (data-words) or from the server's rendered parts."""
    prose = []
    for path in (ROOT / "static" / "js").glob("*.js"):
        code = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S))
        for match in re.finditer(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'|`([^`]*)`", code):
            text = next(group for group in match.groups() if group is not None)
            if text == "use strict":
                continue
            if any(c.isalpha() and ord(c) > 127 for c in text) or re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text):
                prose.append((path.name, text))
    assert prose == []
