"""The Nu Html Checker (npm `vnu-jar`, run with the machine's Java) finds no error on the public page types.

The jar is not in the repository (~30 MB): the test uses $COP_VNU_JAR, else installs the pinned package with npm
into ~/.cache/cop-test-tools once. Without npm nor the jar, or without Java, it skips (a failure under CI=true).
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cop.db import db
from tests import portal_data

VNU_VERSION = "26.9.27"
CACHE = Path(os.environ.get("COP_TOOLS_CACHE", Path.home() / ".cache" / "cop-test-tools")) / f"vnu-{VNU_VERSION}"
JAR = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path:
    """The checker's jar, installed with npm on first use."""
    if os.environ.get("COP_VNU_JAR"):
        return Path(os.environ["COP_VNU_JAR"])
    if not JAR.exists():
        if not shutil.which("npm"):
            pytest.skip("neither npm nor the vnu jar is available")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                        f"vnu-jar@{VNU_VERSION}"], check=True, capture_output=True, timeout=600)
    return JAR


def test_public_pages_are_valid_html(client, tmp_path):
    if not shutil.which("java"):
        pytest.skip("Java is not installed")
    jar = vnu_jar()
    data = portal_data.build()
    db.session.commit()
    cop, sector = data.conference.id, data.sectors[0].code
    urls = ["/", "/mon-territoire", "/mon-territoire?q=saint", f"/portail/territoires/epci/{data.other_epci.code}",
            f"/portail/cop/{cop}", f"/portail/cop/{cop}/filieres/{sector}", "/recherche", "/recherche?q=friche",
            "/opendata/", "/portail/cop/99999"]
    files = []
    for index, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page{index}.html"
        path.write_bytes(response.data)
        files.append(str(path))
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--stdout", *files],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout)["messages"]
    errors = [(urls[files.index(m["url"].removeprefix("file:"))], m.get("lastLine"), m["message"])
              for m in messages if m["type"] == "error"]
    assert not errors, errors
