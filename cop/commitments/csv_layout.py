"""The documented layout of the commitments CSV file: its columns, one line's parsing, the template."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from cop.commitments.inputs import DraftInput, PledgeInput, SupportInput
from cop.numbers import parse_decimal, parse_year

#: Column → (required, what it holds), in the template's order.
COLUMNS = {
    "filiere": (True, "code de la filière (ex. automobile, chimie-materiaux)"),
    "indicateur": (True, "code de l’indicateur du catalogue (ex. jobs-created, investment)"),
    "annee_reference": (True, "année de la valeur de référence, sur quatre chiffres"),
    "valeur_reference": (True, "valeur de l’indicateur l’année de référence (0 si inconnue)"),
    "annee_cible": (True, "année où la cible doit être atteinte"),
    "valeur_inconditionnelle": (True, "ce que la partie s’engage à atteindre par ses propres moyens"),
    "valeur_conditionnelle": (True, "supplément atteint si l’appui demandé est obtenu (0 sinon)"),
    "financeur": (False, "state, region, bpifrance, banque_des_territoires, eu ou other ; une demande recopiée à "
                         "l’identique (financeur, montant, objet) sur plusieurs lignes est importée une fois et "
                         "conditionne toutes leurs cibles"),
    "montant_appui": (False, "montant demandé, en euros"),
    "objet_appui": (False, "objet de la demande d’appui"),
    "perimetre": (False, "texte de l’engagement de la filière : périmètre"),
    "actions": (False, "actions prévues (Markdown)"),
    "hypotheses_methode": (False, "hypothèses et méthode"),
    "preparation_locale": (False, "préparation locale : qui a été consulté"),
    "equite_ambition": (False, "en quoi l’engagement est juste et ambitieux"),
    "contribution_objectif": (False, "contribution à l’objectif régional"),
    "justification": (False, "justification d’un recul par rapport à la version précédente"),
}
TEXT_COLUMNS = {"perimetre": "scope", "actions": "actions", "hypotheses_methode": "assumptions_method",
                "preparation_locale": "local_preparation", "equite_ambition": "fairness_ambition",
                "contribution_objectif": "regional_contribution", "justification": "justification"}
NUMBER_COLUMNS = ("valeur_reference", "valeur_inconditionnelle", "valeur_conditionnelle", "montant_appui")
YEAR_COLUMNS = ("annee_reference", "annee_cible")
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
TEMPLATE_ROWS = [
    ["automobile", "jobs-created", "2025", "0", "2030", "250", "100", "bpifrance", "2 000 000",
     "Fonds de modernisation des équipementiers", "Équipementiers du bassin", "- Plan de formation", "", "",
     "", "", ""],
    ["automobile", "investment", "2025", "0", "2030", "15 000 000", "0", "", "", "", "", "", "", "", "", "", ""],
]


@dataclass
class Line:
    """One data line of the file, parsed; `problems` lists what is wrong with it."""

    number: int
    sector: str = ""
    pledge: Optional[PledgeInput] = None
    support: Optional[SupportInput] = None
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def check_header(header: Optional[list[str]]) -> list[str]:
    """Problems of the first line: missing required columns, unknown or repeated ones."""
    if not header:
        return ["ligne 1 : en-tête manquant (voir le modèle à télécharger)"]
    names = [name.strip().lower() for name in header]
    header[:] = names
    problems = [f"ligne 1 : colonne inconnue « {name} »" for name in names if name not in COLUMNS]
    problems += [f"ligne 1 : colonne obligatoire manquante « {name} »"
                 for name, (required, _) in COLUMNS.items() if required and name not in names]
    problems += [f"ligne 1 : colonne « {name} » en double" for name in set(names) if names.count(name) > 1]
    return problems


def _cell(line: Line, name: str, raw: str) -> str:
    """A cell, refused when it could be run as a spreadsheet formula."""
    text = raw.strip()
    if raw.startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS) or (
            text.startswith("-") and name not in NUMBER_COLUMNS and text[1:2] not in ("", " ")):
        line.problems.append(f"colonne « {name} » : une cellule commençant par « {text[:1] or raw[:1]!s} » "
                             "pourrait être une formule, elle est refusée")
        return ""
    return text


def _convert(line: Line, cells: dict[str, str], name: str, parse):
    """A typed value of a cell, or None with a problem recorded."""
    try:
        return parse(cells.get(name, ""))
    except ValueError as error:
        line.problems.append(f"colonne « {name} » : {error}")
        return None


def parse_line(number: int, header: list[str], fields: list[str]) -> Line:
    """Parse one data line; every problem is recorded on it, none raised."""
    line = Line(number)
    if len(fields) != len(header):
        line.problems.append(f"{len(fields)} cellule(s) au lieu de {len(header)}")
        return line
    cells = {name: _cell(line, name, raw) for name, raw in zip(header, fields)}
    line.sector = cells["filiere"]
    years = {name: _convert(line, cells, name, parse_year) for name in YEAR_COLUMNS}
    values = {name: _convert(line, cells, name, parse_decimal) for name in NUMBER_COLUMNS if name in cells}
    for name in ("filiere", "indicateur", "annee_reference", "annee_cible", "valeur_inconditionnelle"):
        if not cells[name] and not line.problems:
            line.problems.append(f"colonne « {name} » : valeur obligatoire")
    if line.problems:
        return line
    line.pledge = PledgeInput(cells["indicateur"], years["annee_reference"], values["valeur_reference"] or Decimal(0),
                              years["annee_cible"], values["valeur_inconditionnelle"],
                              values["valeur_conditionnelle"] or Decimal(0))
    if cells.get("financeur") or cells.get("montant_appui") or cells.get("objet_appui"):
        line.support = SupportInput(cells.get("financeur", ""), values.get("montant_appui") or Decimal(0),
                                    cells.get("objet_appui", ""), [line.pledge.indicator])
    line.texts = {TEXT_COLUMNS[name]: cells[name] for name in TEXT_COLUMNS if cells.get(name)}
    return line


def merge_texts(lines: list[Line], problems: list[str]) -> dict[str, str]:
    """The texts of a filière; two lines giving different texts for the same field is a problem."""
    texts: dict[str, str] = {}
    for line in lines:
        for key, value in line.texts.items():
            if key in texts and texts[key] != value:
                problems.append(f"ligne {line.number} : texte « {key} » différent d’une ligne précédente de la filière")
            texts.setdefault(key, value)
    return texts


def merge_supports(lines: list[Line]) -> list[SupportInput]:
    """The support requests of a filière: one repeated identically on several lines conditions all their pledges."""
    merged: dict[tuple, SupportInput] = {}
    for line in lines:
        support = line.support
        if support is None:
            continue
        key = (support.funder, support.amount, " ".join(support.purpose.split()).lower())
        if key in merged:
            merged[key].indicators += [code for code in support.indicators if code not in merged[key].indicators]
        else:
            merged[key] = SupportInput(support.funder, support.amount, support.purpose, list(support.indicators))
    return list(merged.values())


def to_input(lines: list[Line], texts: dict[str, str]) -> DraftInput:
    """The draft of one filière: frame years from its pledges, its pledges and its support requests."""
    pledges = [line.pledge for line in lines]
    return DraftInput(
        reference_year=min(p.reference_year for p in pledges), target_year=max(p.target_year for p in pledges),
        texts=texts, pledges=pledges, supports=merge_supports(lines))
