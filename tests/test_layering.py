"""Which package may import which: meetings and the live server never import the negotiation (it plugs in through
`cop/meetings/registry.py`), and the domain never imports the live transport."""
import ast
from pathlib import Path

COP = Path(__file__).resolve().parent.parent / "cop"
#: (importing file, imported module) pairs that cross a line on purpose.
ALLOWED = {
    ("__init__.py", "cop.live"),  # the app factory plugs the bus into the journal (registry.on_journal)
    ("meetings/room_views.py", "cop.live"),  # the web door signs the live server's handshake token
    ("models.py", "cop.live"),  # the schema lists every table, the live server's shared sockets too
}


def imported_modules(source: str) -> set[str]:
    """Every module a source imports, at any depth (function-level imports too), as dotted names."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def crossings(folders: tuple[str, ...], forbidden: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """`file → module` for each import of `forbidden` (or below) from the files under `folders`."""
    found = []
    for folder in folders:
        for path in sorted((COP / folder).rglob("*.py")):
            name = path.relative_to(COP).as_posix()
            if name.startswith(exclude):
                continue
            for module in imported_modules(path.read_text(encoding="utf-8")):
                if (module == forbidden or module.startswith(forbidden + ".")) and (name, forbidden) not in ALLOWED:
                    found.append(f"{name} → {module}")
    return sorted(set(found))


def test_the_checker_sees_every_form_of_import():
    source = ("import cop.negotiation.state\nfrom cop import negotiation\n"
              "def f():\n    from cop.negotiation.votes import models\n")
    assert {"cop.negotiation.state", "cop.negotiation", "cop.negotiation.votes"} <= imported_modules(source)
    assert "cop.negotiation" not in imported_modules("from . import negotiation\n")


def test_meetings_and_live_do_not_import_the_negotiation():
    assert crossings(("meetings", "live"), "cop.negotiation") == []


def test_the_domain_does_not_import_the_live_transport():
    assert crossings(("",), "cop.live", exclude=("live/",)) == []


#: The package that owns each family of the negotiation's live commands.
OWNERS = {"text": "texts", "amendment": "texts", "decision": "decisions", "objection": "decisions", "vote": "votes"}


def test_each_negotiation_package_registers_its_own_commands(app):
    """`vote.*` belongs to the votes package, `decision.*` and `objection.*` to decisions, and so on."""
    from cop.meetings.commands import COMMANDS

    for name, handler in COMMANDS.items():
        family = name.split(".")[0]
        if family in OWNERS:
            assert handler.__module__ == f"cop.negotiation.{OWNERS[family]}.commands", (name, handler.__module__)
