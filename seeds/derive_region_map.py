"""Derive the committed region map (seeds/data/region_map.json) from @svg-maps/france.regions.

Usage:
    npm install @svg-maps/france.regions@2.0.0   (in a scratch directory)
    python seeds/derive_region_map.py /path/to/node_modules/@svg-maps/france.regions

Writes seeds/data/region_map.json (the 13 metropolitan region outlines keyed by INSEE region code, coordinates
rounded to two decimals (many paths are relative: rounding errors add up)) and seeds/data/REGION_MAP_ATTRIBUTION.md.  Standard library only; the output is
deterministic.  The 5 overseas regions are not in the package: the portal draws them as labelled insets.
"""
import json
import re
import sys
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent / "data"
PACKAGE = "@svg-maps/france.regions"
#: The package's region ids and the INSEE region codes they stand for.
INSEE_CODES = {
    "ara": "84", "bfc": "27", "bre": "53", "cvl": "24", "cor": "94", "ges": "44", "hdf": "32",
    "idf": "11", "nor": "28", "naq": "75", "occ": "76", "pdl": "52", "pac": "93",
}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

ATTRIBUTION = """\
# Attribution du fond de carte des régions

Source : paquet npm `{package}` version {version}
(<https://github.com/VictorCazanave/svg-maps/tree/master/packages/france.regions>),
par Victor Cazanave, d'après la carte « France 2016 » d'amCharts (<https://www.amcharts.com/svg-maps/>).

Licence : Creative Commons Attribution - Pas d'utilisation commerciale 4.0 International
(CC BY-NC 4.0, <https://creativecommons.org/licenses/by-nc/4.0/>). Le fond de carte n'est donc pas
sous Licence Ouverte : il sert à l'affichage du portail public (usage non commercial) et n'est pas
repris dans les données ouvertes.

Modifications faites par `seeds/derive_region_map.py` : identifiants remplacés par les codes INSEE
des régions, coordonnées arrondies au centième, noms repris des données territoriales du projet.
Les 5 régions d'outre-mer, absentes du paquet, sont dessinées par le portail comme des encarts
étiquetés.
"""


def _round_path(path: str) -> str:
    """Round every number of an SVG path to two decimals, dropping useless zeros."""
    def one(match: re.Match) -> str:
        text = f"{float(match.group()):.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    return NUMBER.sub(one, path)


def derive(package_dir: Path) -> dict:
    """Read the package's index.js and return the map keyed by INSEE code."""
    source = (package_dir / "index.js").read_text(encoding="utf-8")
    data = json.loads(source.split("export default", 1)[1].strip().rstrip(";"))
    regions = {}
    for location in data["locations"]:
        regions[INSEE_CODES[location["id"]]] = {"name": location["name"], "path": _round_path(location["path"])}
    if len(regions) != 13:
        raise SystemExit(f"13 metropolitan regions expected, found {len(regions)}")
    return {"viewBox": data["viewBox"], "regions": dict(sorted(regions.items()))}


def main(argv: list[str]) -> None:
    """Write region_map.json and its attribution."""
    package_dir = Path(argv[1])
    version = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
    result = {"source": f"{PACKAGE}@{version}", "licence": "CC-BY-NC-4.0", **derive(package_dir)}
    (OUTPUT_DIR / "region_map.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    (OUTPUT_DIR / "REGION_MAP_ATTRIBUTION.md").write_text(ATTRIBUTION.format(package=PACKAGE, version=version),
                                                          encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv)
