"""Templates decide nothing themselves: no comparison against a raw state, phase, status or accreditation string
(they read `may.*` from the rulebook, or a model's named property such as `vote.is_open`)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: `x.state == 'open'`, `phase in ('a', 'b')`, `status != "draft"`, `selectattr("state", …)` and the like.
RAW = re.compile(r"""(\b(state|phase|status|accreditation)\b['"]?\]?\s*(==|!=|\bnot in\b|\bin\b)\s*[("'])"""
                 r"""|(selectattr\(\s*["'](state|status|phase|accreditation)["'])""")


def _offences(paths) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RAW.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    return found


def test_the_pattern_catches_what_it_must():
    for line in ("{% if meeting.state == 'open' %}", "{% if conference.phase in ('a', 'b') %}",
                 '{% if v.status != "draft" %}', "{{ xs|selectattr('state', 'equalto', 'x') }}",
                 "{% if party.accreditation == 'accredited' %}"):
        assert RAW.search(line), line
    for line in ("{% if may.floor_request %}", "{% if vote.is_open %}", 'class="badge-{{ item.state }}"'):
        assert not RAW.search(line), line


def test_templates_compare_no_raw_state_or_phase():
    assert _offences(sorted((ROOT / "templates").rglob("*.html"))) == []


#: The same in the scripts: `d.state === "open"`, `vote.outcome !== 'adopted'`, `x["phase"] == "…"`.
RAW_JS = re.compile(r"""\b(state|phase|status|accreditation|outcome)\b['"]?\]?\s*(===?|!==?)\s*["'`]""")


def test_the_script_pattern_catches_what_it_must():
    for line in ('if (d.state === "open") {', "return vote.outcome !== 'adopted';", 'x["phase"] == "negotiation"'):
        assert RAW_JS.search(line), line
    for line in ("if (may.floor_request.ok) {", 'el.dataset.state = data.state;'):
        assert not RAW_JS.search(line), line


def test_scripts_compare_no_raw_state_or_phase():
    """The live pages' scripts read the rulebook's `may` and the server's fragments; they decide nothing."""
    found = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RAW_JS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert found == []


#: The commitment actions whose forms a page may offer only where the rulebook says yes.
GUARDED = re.compile(r"url_for\('commitments\.(new_version|review|comment|withdraw)'")
IF_OPEN, IF_CLOSE = re.compile(r"{%-?\s*if\b(.*?)%}"), re.compile(r"{%-?\s*endif\b")


def _unguarded_forms(lines: list[str]) -> list[int]:
    """Line numbers of guarded actions' forms that no enclosing `{% if … may.… %}` protects."""
    stack, found = [], []
    for number, line in enumerate(lines, 1):
        if GUARDED.search(line) and not any("may." in condition for condition in stack):
            found.append(number)
        for token in re.finditer(r"{%-?\s*(if\b.*?|endif\b.*?)%}", line):
            if token.group(1).startswith("if"):
                stack.append(token.group(1))
            elif stack:
                stack.pop()
    return found


def test_the_guard_finds_an_unguarded_form():
    assert _unguarded_forms(["{% if commitment.is_draft %}", "<form action=\"{{ url_for('commitments.withdraw') }}\">",
                             "{% endif %}"]) == [2]
    assert _unguarded_forms(["{% if may.commitment_withdraw %}{% if x %}{% endif %}",
                             "<form action=\"{{ url_for('commitments.withdraw') }}\">", "{% endif %}"]) == []


def test_the_commitment_forms_are_offered_by_the_rulebook():
    """Withdrawing, reviewing, discussing, opening a new version: each form sits under the rulebook's `may`."""
    for path in sorted((ROOT / "templates" / "commitments").glob("*.html")):
        assert _unguarded_forms(path.read_text(encoding="utf-8").splitlines()) == [], path.name
