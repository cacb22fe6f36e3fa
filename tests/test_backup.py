"""`cop export` / `cop import`: every row, every roadmap hash and the audit chain survive SQLite ⇄ PostgreSQL."""
import json
from contextlib import contextmanager

import pytest

from cop import create_app
from cop.audit.services import record
from cop.config import TestConfig
from cop.db import db
from tests.pg_cluster import Cluster
from tests.roadmap.test_adoption import adopted


@pytest.fixture(scope="module")
def cluster():
    """A throwaway PostgreSQL cluster for the restore targets (the suite's own database stays untouched)."""
    made = Cluster()
    yield made
    made.destroy()


@contextmanager
def other_app(url: str):
    """An app on another, empty database whose schema is created."""
    app = create_app(type("RestoreConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def rows(path) -> list[str]:
    """The dump without its header (which names the engine and the time)."""
    with open(path, encoding="utf-8") as dump:
        return dump.read().splitlines()[1:]


def cli(app, *args):
    """Run `flask cop …` on that app."""
    return app.test_cli_runner().invoke(args=["cop", *args])


def test_export_import_round_trip_between_engines(app, make, tmp_path, cluster):
    s, version = adopted(make)
    record("test.backup", "conference", s.conference.id, actor=s.secretariat, conference_id=s.conference.id,
           data={"note": "virgule, « guillemets » & ünï"})
    db.session.commit()
    first = tmp_path / "first.jsonl"
    result = cli(app, "export", str(first))
    assert result.exit_code == 0, result.output
    header = json.loads(first.read_text(encoding="utf-8").splitlines()[0])
    assert header["audit_head"]["seq"] >= 2 and set(header["tables"]) == {t.name for t in db.metadata.tables.values()}
    postgres_first = db.engine.dialect.name == "postgresql"
    postgres_target = cluster.create_database("restore_target")
    targets = [f"sqlite:///{tmp_path / 'second.sqlite3'}", postgres_target]
    if not postgres_first:
        targets.reverse()  # SQLite → PostgreSQL → SQLite; else PostgreSQL → SQLite → PostgreSQL
    dump = first
    for number, url in enumerate(targets, 2):
        with other_app(url) as target:
            result = cli(target, "import", str(dump))
            assert result.exit_code == 0 and "Restauration terminée" in result.output, result.output
            assert "Chaîne d'audit intègre" in cli(target, "audit", "verify").output
            verified = cli(target, "roadmap", "verify")
            assert verified.exit_code == 0 and "1 version(s) adoptée(s)" in verified.output, verified.output
            dump = tmp_path / f"dump{number}.jsonl"
            assert cli(target, "export", str(dump)).exit_code == 0
            assert rows(dump) == rows(first), "every row equal, every hash and link of the chain included"
    # Identifiers go on after the restored ones (sequences reset on PostgreSQL).
    with other_app(postgres_target) as target:
        made = make.user(email="apres.restauration@example.fr")
        db.session.commit()
        assert made.id > max(json.loads(line)["r"][0] for line in _table(first, "user_account"))
        assert target


def _table(path, name: str) -> list[str]:
    """The row lines of one table in a dump."""
    lines, inside = [], False
    for line in rows(path):
        item = json.loads(line)
        if item["type"] == "table":
            inside = item["name"] == name
        elif item["type"] == "row" and inside:
            lines.append(line)
    return lines


def test_import_refuses_a_database_that_holds_rows_or_a_damaged_file(app, make, tmp_path):
    make.user(email="deja.la@example.fr")
    db.session.commit()
    dump = tmp_path / "dump.jsonl"
    assert cli(app, "export", str(dump)).exit_code == 0
    refused = cli(app, "import", str(dump))
    assert refused.exit_code != 0 and "La base n’est pas vide (user_account)" in refused.output
    with other_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}") as target:
        truncated = tmp_path / "truncated.jsonl"
        truncated.write_text("\n".join(dump.read_text(encoding="utf-8").splitlines()[:-1]), encoding="utf-8")
        refused = cli(target, "import", str(truncated))
        assert refused.exit_code != 0 and "tronqué" in refused.output
        assert db.session.scalar(db.text("SELECT count(*) FROM user_account")) == 0, "all or nothing"
        stranger = tmp_path / "stranger.jsonl"
        stranger.write_text('{"type": "header", "format": "autre chose"}\n', encoding="utf-8")
        assert "n’est pas un export COP" in cli(target, "import", str(stranger)).output
        tampered = tmp_path / "tampered.jsonl"
        lines = dump.read_text(encoding="utf-8").splitlines()
        tampered.write_text("\n".join(lines[:1] + ['{"type": "table", "name": "user_account", "columns": ["id"]}']
                                      + lines[1:]), encoding="utf-8")
        assert "Les colonnes de user_account diffèrent" in cli(target, "import", str(tampered)).output
