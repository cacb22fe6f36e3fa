"""The Frictionless Data Package (Tabular Data Package) describing the open data files."""
from typing import Callable

from cop.opendata.catalogue import TABLES
from cop.opendata.tables import Table

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


def _schema(table: Table) -> dict:
    """The Table Schema of one file."""
    return {
        "fields": [{"name": name, "type": kind, "description": text} for name, kind, text in table.fields],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }


def _resource(table: Table, path: str) -> dict:
    """One file of the package."""
    return {
        "name": table.name.replace("_", "-"), "path": path, "title": table.title, "description": table.description,
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True}, "schema": _schema(table),
        "licenses": [LICENCE],
    }


def describe(path_of: Callable[[str], str]) -> dict:
    """The package; `path_of(name)` gives the URL (or relative path) of a table's CSV file."""
    return {
        "profile": "tabular-data-package",
        "name": "cop-regionales-donnees-ouvertes",
        "title": "COP régionales de la reconstruction industrielle : données ouvertes",
        "description": "Territoires, COP, parties, engagements publiés, cibles chiffrées, demandes d'appui et sites. "
                       "Les brouillons ne sont jamais publiés.",
        "licenses": [LICENCE],
        "sources": [{"title": "Découpage administratif (Etalab, INSEE, DGCL, La Poste)",
                     "path": "https://github.com/etalab/decoupage-administratif"}],
        "resources": [_resource(table, path_of(table.name)) for table in TABLES],
    }
