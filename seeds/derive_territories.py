"""Derive the committed territory CSV seeds from @etalab/decoupage-administratif.

Usage:
    npm install @etalab/decoupage-administratif@6.0.0   (in a scratch directory)
    python seeds/derive_territories.py /path/to/node_modules/@etalab/decoupage-administratif/data

Writes regions.csv, departements.csv, epci.csv, communes.csv, arrondissements.csv,
ept.csv and ATTRIBUTION.md into seeds/data/ next to this script.  Standard library only.

Choices made here (also stated in ATTRIBUTION.md):
- Scope is the 18 regions (13 metropolitan + 5 overseas "DROM") and their
  101 départements; overseas collectivities ("COM", zone "com") are left out.
- Communes are the current ones (type "commune-actuelle"); communes déléguées
  and associées are left out.  The 45 arrondissements municipaux of Paris,
  Lyon and Marseille go to arrondissements.csv, each with its commune, so that
  "Lyon 3e" finds Lyon.
- The 11 établissements publics territoriaux (EPT) of the Métropole du Grand
  Paris go to ept.csv with their member communes: a commune of Plaine Commune
  belongs to that EPT and to the Métropole (its EPCI).
- Every population is the communes.json "population" figure, summed upwards,
  so that regions, départements and EPCI all add up consistently.
- An EPCI belongs to the region where most of its member population lives;
  ties go to the lowest region code.
- A commune that belongs to no EPCI (the islands Bréhat, Sein, Ouessant,
  Yeu) is kept with an empty epci_siren.

CSV output is deterministic: rows sorted by code, UTF-8, comma-separated,
a header row, "\\n" line endings.  Only ATTRIBUTION.md carries a date, taken
from SOURCE_DATE_EPOCH when set so that it can be reproduced as well.
"""

import csv
import datetime
import json
import os
import sys
from collections import Counter
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent / "data"
PACKAGE = "@etalab/decoupage-administratif"
KEPT_ZONES = {"metro", "drom"}
LEGAL_FORMS = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "METRO", "MET69": "METRO"}
HEADERS = {
    "regions.csv": ("code", "name", "population"),
    "departements.csv": ("code", "name", "region_code", "population"),
    "epci.csv": ("siren", "name", "legal_form", "region_code", "population"),
    "communes.csv": (
        "code", "name", "epci_siren", "departement_code", "region_code", "population", "postcodes",
    ),
    "arrondissements.csv": ("code", "name", "commune_code", "population", "postcodes"),
    "ept.csv": ("siren", "name", "region_code", "population", "communes"),
}
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_PDF = (
    "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"
)

SOURCE_TEXT = """\
# Attribution des données territoriales

Source : paquet npm `{package}` version {version}
(<https://github.com/etalab/decoupage-administratif>), publié par Etalab
(DINUM, data.gouv.fr), millésime 2026.

Producteurs des données, d'après le paquet :
- INSEE : Code officiel géographique (régions, départements, communes) et
  populations légales ;
- DGCL (Direction générale des collectivités locales) : liste et composition
  des EPCI à fiscalité propre ;
- La Poste : base officielle des codes postaux ;
- Etalab : assemblage et publication au format JSON.

Licence : Licence Ouverte / Open Licence version 2.0 (Etalab),
<{licence}>
(texte : <{pdf}>).
Ces fichiers CSV sont une œuvre dérivée : extraction, sommes de populations
et rattachement des EPCI à une région calculés par ce projet.

Date de dérivation : {date}
"""


def load_json(data_dir, name):
    """Return the parsed content of one of the package's JSON files."""
    with open(Path(data_dir) / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def package_version(data_dir):
    """Return the package version from the package.json beside data/, or "unknown"."""
    manifest = Path(data_dir).resolve().parent / "package.json"
    if not manifest.is_file():
        return "unknown"
    with open(manifest, encoding="utf-8") as handle:
        return json.load(handle).get("version", "unknown")


def current_communes(raw_communes):
    """Return the current communes of the kept zones, keyed by INSEE code."""
    return {
        item["code"]: item
        for item in raw_communes
        if item["type"] == "commune-actuelle" and item["zone"] in KEPT_ZONES
    }


def population_by(communes, key):
    """Return the summed commune population per value of the given commune field."""
    totals = Counter()
    for commune in communes.values():
        totals[commune[key]] += commune.get("population", 0)
    return totals


def region_rows(raw_regions, communes):
    """Return the region rows (code, name, population) of the kept zones."""
    totals = population_by(communes, "region")
    return sorted(
        (item["code"], item["nom"], totals[item["code"]])
        for item in raw_regions
        if item["zone"] in KEPT_ZONES
    )


def departement_rows(raw_departements, communes):
    """Return the département rows (code, name, region_code, population) of the kept zones."""
    totals = population_by(communes, "departement")
    return sorted(
        (item["code"], item["nom"], item["region"], totals[item["code"]])
        for item in raw_departements
        if item["zone"] in KEPT_ZONES
    )


def majority_region(member_codes, communes):
    """Return (region code holding most member population, population per region)."""
    per_region = Counter()
    for code in member_codes:
        commune = communes[code]
        per_region[commune["region"]] += commune.get("population", 0)
    best = min(per_region, key=lambda region: (-per_region[region], region))
    return best, per_region


def epci_rows(raw_epci, communes):
    """Return the EPCI rows and the list of EPCI whose members span several regions."""
    rows, straddling = [], []
    for item in raw_epci:
        members = [member["code"] for member in item["membres"]]
        missing = [code for code in members if code not in communes]
        if missing:
            raise ValueError(f"EPCI {item['code']}: membres inconnus {missing}")
        region, per_region = majority_region(members, communes)
        if len(per_region) > 1:
            straddling.append((item["code"], item["nom"], dict(sorted(per_region.items()))))
        legal_form = LEGAL_FORMS[item["type"]]
        rows.append((item["code"], item["nom"], legal_form, region, sum(per_region.values())))
    return sorted(rows), sorted(straddling)


def epci_of_communes(raw_epci):
    """Return a mapping commune code -> EPCI SIREN, refusing double membership."""
    owner = {}
    for item in raw_epci:
        for member in item["membres"]:
            if member["code"] in owner:
                raise ValueError(f"Commune {member['code']} dans deux EPCI")
            owner[member["code"]] = item["code"]
    return owner


def commune_rows(communes, raw_epci):
    """Return the commune rows, with an empty epci_siren for communes outside any EPCI."""
    owner = epci_of_communes(raw_epci)
    rows = []
    for code, item in sorted(communes.items()):
        postcodes = " ".join(sorted(set(item.get("codesPostaux", []))))
        rows.append((
            code, item["nom"], owner.get(code, ""), item["departement"],
            item["region"], item.get("population", 0), postcodes,
        ))
    return rows


def arrondissement_rows(raw_communes, communes):
    """Return the arrondissements municipaux (code, name, commune_code, population, postcodes)."""
    rows = []
    for item in raw_communes:
        if item["type"] != "arrondissement-municipal":
            continue
        if item["commune"] not in communes:
            raise ValueError(f"Arrondissement {item['code']}: commune inconnue {item['commune']}")
        postcodes = " ".join(sorted(set(item.get("codesPostaux", []))))
        rows.append((item["code"], item["nom"], item["commune"], item.get("population", 0), postcodes))
    return sorted(rows)


def ept_rows(raw_ept, communes):
    """Return the EPT rows (siren, name, region_code, population, member commune codes)."""
    rows = []
    for item in raw_ept:
        members = sorted(member["code"] for member in item["membres"])
        missing = [code for code in members if code not in communes]
        if missing:
            raise ValueError(f"EPT {item['code']}: membres inconnus {missing}")
        region, per_region = majority_region(members, communes)
        rows.append((item["code"], item["nom"], region, sum(per_region.values()), " ".join(members)))
    return sorted(rows)


def write_csv(path, header, rows):
    """Write rows to path as UTF-8 comma-separated values with "\\n" line endings."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def derivation_date():
    """Return today's date, or the date of SOURCE_DATE_EPOCH when that is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
        return moment.date().isoformat()
    return datetime.date.today().isoformat()


def attribution_text(version, counts, straddling):
    """Return the Markdown text of ATTRIBUTION.md."""
    head = SOURCE_TEXT.format(
        package=PACKAGE, version=version, licence=LICENCE_URL, pdf=LICENCE_PDF,
        date=derivation_date(),
    )
    return "\n".join([head] + regeneration_lines() + summary_lines(counts, straddling))


def regeneration_lines():
    """Return the Markdown lines explaining how to regenerate the files."""
    return [
        "## Régénérer",
        "",
        "```sh",
        "mkdir -p /tmp/etalab && cd /tmp/etalab",
        f"npm install {PACKAGE}@6.0.0",
        "cd -  # racine du dépôt",
        f"python seeds/derive_territories.py /tmp/etalab/node_modules/{PACKAGE}/data",
        "```",
        "",
    ]


def summary_lines(counts, straddling):
    """Return the Markdown lines describing the scope, the counts and the straddling EPCI."""
    lines = [
        "## Contenu",
        "",
        "- Périmètre : 13 régions métropolitaines et 5 d'outre-mer (DROM) ; les",
        "  collectivités d'outre-mer (COM) sont exclues.",
        "- Communes : communes actuelles ; celles qui n'appartiennent à aucun EPCI",
        "  (îles) ont un `epci_siren` vide.",
        "- Populations : champ `population` de communes.json, sommé par région,",
        "  département et EPCI.",
        "- Arrondissements : les 45 arrondissements municipaux de Paris, Lyon et",
        "  Marseille (codes INSEE 75101-75120, 69381-69389, 13201-13216), chacun",
        "  avec le code de sa commune.",
        "- EPT : les 11 établissements publics territoriaux de la Métropole du",
        "  Grand Paris (ept.json), avec les codes de leurs communes membres.",
        "- Un EPCI est rattaché à la région où vit la majorité de la population de",
        "  ses communes membres.",
        "",
    ]
    lines += [f"- {name} : {count} lignes" for name, count in counts.items()]
    lines += ["", f"EPCI à cheval sur plusieurs régions : {len(straddling)}", ""]
    return lines


def derive(data_dir, output_dir=OUTPUT_DIR):
    """Read the package data and write the six CSV files and ATTRIBUTION.md."""
    raw_communes = load_json(data_dir, "communes")
    communes = current_communes(raw_communes)
    raw_epci = load_json(data_dir, "epci")
    epci, straddling = epci_rows(raw_epci, communes)
    tables = {
        "regions.csv": region_rows(load_json(data_dir, "regions"), communes),
        "departements.csv": departement_rows(load_json(data_dir, "departements"), communes),
        "epci.csv": epci,
        "communes.csv": commune_rows(communes, raw_epci),
        "arrondissements.csv": arrondissement_rows(raw_communes, communes),
        "ept.csv": ept_rows(load_json(data_dir, "ept"), communes),
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    for filename, rows in tables.items():
        write_csv(output_dir / filename, HEADERS[filename], rows)
    counts = {filename: len(rows) for filename, rows in tables.items()}
    text = attribution_text(package_version(data_dir), counts, straddling)
    (output_dir / "ATTRIBUTION.md").write_text(text, encoding="utf-8")
    return counts, straddling


def main(argv):
    """Run the derivation from the command line and print a short summary."""
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    counts, straddling = derive(Path(argv[1]))
    for filename, count in counts.items():
        print(f"{filename}: {count}")
    print(f"EPCI straddling regions: {len(straddling)}")
    for siren, name, per_region in straddling:
        print(f"  {siren} {name} {per_region}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
