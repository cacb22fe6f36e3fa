"""The roadmap's downloads: the canonical JSON, the pledges as CSV, the PDF (WeasyPrint)."""
import base64
import csv
import io
from decimal import Decimal
from pathlib import Path

from flask import current_app, render_template, url_for

from cop import canonical
from cop.commitments.models import FUNDERS
from cop.roadmap import freeze, typesetting
from cop.errors import Unavailable
from cop.roadmap.models import RoadmapVersion

#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("filiere", "partie", "indicateur", "unite", "annee_reference", "valeur_reference", "annee_cible",
               "inconditionnel", "conditionnel_additionnel", "total_avec_conditions", "engagement",
               "version_engagement")


def json_bytes(version: RoadmapVersion) -> bytes:
    """The exact bytes whose SHA-256 is published (for a draft, the same form, not hashed)."""
    if version.canonical_json is not None:
        return version.canonical_json.encode("utf-8")
    return canonical.dumps_bytes(freeze.document(version))


def neutral(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def pledges_csv(version: RoadmapVersion) -> bytes:
    """One line per pledge of the version; semicolons and a BOM so that French spreadsheets open it as is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for chapter in version.content["chapters"]:
        units = {row["indicator"]: (row["name"], row["unit"]) for row in chapter["indicators"]}
        for p in chapter["pledges"]:
            name, unit = units[p["indicator"]]
            total = Decimal(str(p["unconditional"])) + Decimal(str(p["conditional"]))
            writer.writerow([neutral(v) for v in (
                chapter["name"], p["party_name"], name, unit, p["reference_year"], p["reference_value"],
                p["target_year"], p["unconditional"], p["conditional"], canonical.dumps(total).strip('"'),
                p["commitment"], p["version"])])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _identity(conference) -> dict:
    """The organiser's identity for the cover, its logo inlined (the PDF must not depend on the web server)."""
    from cop.identity import services as identity

    png = identity.current_logo(conference)
    logo = "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None
    return {"identity": identity.identity_for(conference), "logo_data": logo}


def render_document(version: RoadmapVersion, **_):
    """The print document laid out by WeasyPrint: cover, contents, chapters, signatures; page numbers and hash."""
    try:
        from weasyprint import CSS  # imported when a PDF is asked for: it loads Pango, slow to start
    except (ImportError, OSError) as error:  # Pango missing on this server
        raise Unavailable("La version PDF n'est pas disponible sur ce serveur (bibliothèque Pango absente) : "
                          "utilisez la version imprimable ou le JSON.") from error

    conference_id = version.roadmap.conference_id
    html = render_template(
        "roadmap/pdf/document.html", version=version, funders=FUNDERS, **_identity(version.roadmap.conference),
        json_url=url_for("roadmap.download_json", conference_id=conference_id, number=version.number, _external=True),
        page_url=url_for("roadmap.show", conference_id=conference_id, version=version.number, _external=True))
    static = Path(current_app.static_folder)
    stylesheet = CSS(filename=str(static / "css" / "roadmap-pdf.css"))
    with typesetting.no_cycle_collection():
        return typesetting.html(html, str(static)).render(stylesheets=[stylesheet])


def render_pdf(version: RoadmapVersion, **_) -> bytes:
    """The print document as PDF bytes."""
    document = render_document(version)
    with typesetting.no_cycle_collection():
        return document.write_pdf()
