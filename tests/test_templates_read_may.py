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
