"""The Nu Html Checker finds no error on the roadmap and follow-up pages (same jar as tests/test_html_valid.py)."""
import json
import shutil
import subprocess

import pytest

from cop.db import db
from cop.followup import services as followup
from tests.roadmap.test_followup import implemented
from tests.test_html_valid import vnu_jar


def test_roadmap_pages_are_valid_html(make, client, auth, tmp_path):
    if not shutil.which("java"):
        pytest.skip("Java is not installed")
    jar = vnu_jar()
    s, version, pledges = implemented(make)
    pid = pledges[(s.parties[0].id, "jobs-created", s.sectors[0].code)]
    followup.report(s.heads[0], s.parties[0], pid, 2028, "70", "https://exemple.fr/r.pdf", "Bilan")
    db.session.commit()
    cop = s.conference.id
    auth.login(s.presidency.email)
    urls = [f"/cop/{cop}/feuille-de-route", f"/cop/{cop}/feuille-de-route/preparer", f"/cop/{cop}/bilan",
            f"/cop/{cop}/bilan/parties/{s.parties[0].id}"]
    files = []
    for index, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"page{index}.html"
        path.write_bytes(response.data)
        files.append(str(path))
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--stdout", *files],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout)["messages"]
    errors = [(urls[files.index(m["url"].removeprefix("file:"))], m.get("lastLine"), m["message"])
              for m in messages if m["type"] == "error"]
    assert not errors, errors
