"""The roadmap PDF of the largest region at national scale, read back from the PDF itself: nothing printed over
anything else, nothing in the unprintable edge, cover → contents → chapters → signatures, page numbers and hash."""
import importlib.util
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cop.conferences.models import Conference, Party
from cop.db import db
from cop.reference.seed import load_reference
from cop.roadmap import adoption, documents, services
from cop.territories.seed import load_territories
from tests.roadmap import pdf_layout

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench_module(name: str):
    """A module of bench/ (the national data builder and the adoption steps are the bench's own)."""
    import sys
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def national(app, pango):
    """Every region's COP at national scale (bench/synthesis.py); the largest one's roadmap adopted."""
    national, bench = _bench_module("synthesis"), _bench_module("roadmap")
    load_territories(db.session)
    load_reference(db.session)
    db.session.commit()
    national._build(100)
    largest = max(db.session.scalars(select(Conference)).all(), key=lambda c: db.session.scalar(
        select(func.count(Party.id)).filter_by(conference_id=c.id)))
    user, meeting = bench._setup(largest)
    version = services.generate_draft(user, largest)
    item = adoption.submit(user, version, meeting)
    bench._adopt(largest, version, item, user)
    db.session.commit()
    return largest, version


def _first(pages, pattern: str) -> int:
    """The number of the first page whose text matches."""
    return next(p.number for p in pages if re.search(pattern, p.text))


def test_largest_region_pdf_is_laid_out_for_print(national, app):
    conference, version = national
    with app.test_request_context():
        pdf = documents.render_pdf(version)
    pages = pdf_layout.read(pdf)
    chapters = version.content["chapters"]
    assert len(chapters) >= 10 and len(pages) > 40

    for page in pages:
        assert pdf_layout.overlapping_words(page) == [], f"page {page.number}"
        assert pdf_layout.outside_printable_area(page) == [], f"page {page.number}"
        assert version.sha256 in page.text.replace(" ", ""), f"page {page.number}"
        assert f"{page.number} / {len(pages)}" in page.text

    cover = pages[0].text
    assert conference.region.name in cover and "Feuille de route régionale" in cover and "sha256sum" in cover
    contents = _first(pages, r"^.*Sommaire")
    first_chapter = _first(pages, "Filière " + re.escape(chapters[0]["name"]) + " Objectifs régionaux")
    signatures = _first(pages, "Signatures Les chefs de délégation")
    assert 1 < contents < first_chapter < signatures == _first(pages, "Nom et qualité")
    toc = pages[contents - 1].text
    for chapter in chapters:
        listed = int(re.search("Filière " + re.escape(chapter["name"]) + r"[ .]+(\d+)", toc).group(1))
        assert f"Filière {chapter['name']} Objectifs régionaux" in pages[listed - 1].text
    assert int(re.search(r"Signatures[ .]+(\d+)", toc).group(1)) == signatures
    last = pages[-1].text
    assert version.content["parties"][-1]["name"] in " ".join(p.text for p in pages[signatures - 1:])
    assert "Em- plois" not in " ".join(p.text for p in pages) and "Investissemen t" not in last


def test_the_layout_reader_sees_overprinted_and_clipped_text(pango):
    from weasyprint import HTML

    narrow = ("<style>@page { size: A4; margin: 15mm } table { table-layout: fixed; width: 30mm }"
              "td { white-space: nowrap; width: 10mm }</style>"
              "<table><tr><td>Emplois industriels maintenus</td><td>Investissement industriel</td></tr></table>")
    edge = "<style>@page { size: A4; margin: 2mm }</style><p>Au bord</p>"
    assert pdf_layout.overlapping_words(pdf_layout.read(HTML(string=narrow).write_pdf())[0])
    assert pdf_layout.outside_printable_area(pdf_layout.read(HTML(string=edge).write_pdf())[0]) == ["Au", "bord"]
