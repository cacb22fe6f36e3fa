"""The documented layout of the commitments CSV file: its columns, one line's parsing, the template."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l

from cop.commitments.inputs import DraftInput, PledgeInput, SupportInput
from cop.errors import Said
from cop.numbers import parse_decimal, parse_year

#: Column → (required, what it holds), in the template's order.
COLUMNS = {
    "filiere": (True, _l("code de la filière (ex. automobile, chimie-materiaux)")),
    "indicateur": (True, _l("code de l’indicateur du catalogue (ex. jobs-created, investment)")),
    "annee_reference": (True, _l("année de la valeur de référence, sur quatre chiffres")),
    "valeur_reference": (True, _l("valeur de l’indicateur l’année de référence (0 si inconnue)")),
    "annee_cible": (True, _l("année où la cible doit être atteinte")),
    "valeur_inconditionnelle": (True, _l("ce que la partie s’engage à atteindre par ses propres moyens")),
    "valeur_conditionnelle": (True, _l("supplément atteint si l’appui demandé est obtenu (0 sinon)")),
    "financeur": (False, _l("state, region, bpifrance, banque_des_territoires, eu ou other ; une demande recopiée "
                            "à l’identique (financeur, montant, objet) sur plusieurs lignes est importée une fois et "
                            "conditionne toutes leurs cibles")),
    "montant_appui": (False, _l("montant demandé, en euros")),
    "objet_appui": (False, _l("objet de la demande d’appui")),
    "perimetre": (False, _l("texte de l’engagement de la filière : périmètre")),
    "actions": (False, _l("actions prévues (Markdown)")),
    "hypotheses_methode": (False, _l("hypothèses et méthode")),
    "preparation_locale": (False, _l("préparation locale : qui a été consulté")),
    "equite_ambition": (False, _l("en quoi l’engagement est juste et ambitieux")),
    "contribution_objectif": (False, _l("contribution à l’objectif régional")),
    "justification": (False, _l("justification d’un recul par rapport à la version précédente")),
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
    problems: list[Said] = field(default_factory=list)


def check_header(header: Optional[list[str]]) -> list[Said]:
    """Problems of the first line: missing required columns, unknown or repeated ones."""
    if not header:
        return [Said("ligne 1 : en-tête manquant (voir le modèle à télécharger)", line=1)]
    names = [name.strip().lower() for name in header]
    header[:] = names
    problems = [Said("ligne 1 : colonne inconnue « %(name)s »", name=name, line=1)
                for name in names if name not in COLUMNS]
    problems += [Said("ligne 1 : colonne obligatoire manquante « %(name)s »", name=name, line=1)
                 for name, (required, _) in COLUMNS.items() if required and name not in names]
    problems += [Said("ligne 1 : colonne « %(name)s » en double", name=name, line=1)
                 for name in sorted(set(names)) if names.count(name) > 1]
    return problems


def _cell(line: Line, name: str, raw: str) -> str:
    """A cell, refused when it could be run as a spreadsheet formula."""
    text = raw.strip()
    if raw.startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS) or (
            text.startswith("-") and name not in NUMBER_COLUMNS and text[1:2] not in ("", " ")):
        line.problems.append(Said("colonne « %(name)s » : une cellule commençant par « %(start)s » pourrait être "
                                  "une formule, elle est refusée", name=name, start=text[:1] or raw[:1]))
        return ""
    return text


def _convert(line: Line, cells: dict[str, str], name: str, parse):
    """A typed value of a cell, or None with a problem recorded."""
    try:
        return parse(cells.get(name, ""))
    except ValueError as error:
        line.problems.append(Said("colonne « %(name)s » : %(error)s", name=name, error=error))
        return None


def parse_line(number: int, header: list[str], fields: list[str]) -> Line:
    """Parse one data line; every problem is recorded on it, none raised."""
    line = Line(number)
    if len(fields) != len(header):
        line.problems.append(Said("%(found)s cellule(s) au lieu de %(wanted)s", found=len(fields), wanted=len(header)))
        return line
    cells = {name: _cell(line, name, raw) for name, raw in zip(header, fields)}
    line.sector = cells["filiere"]
    years = {name: _convert(line, cells, name, parse_year) for name in YEAR_COLUMNS}
    values = {name: _convert(line, cells, name, parse_decimal) for name in NUMBER_COLUMNS if name in cells}
    for name in ("filiere", "indicateur", "annee_reference", "annee_cible", "valeur_inconditionnelle"):
        if not cells[name] and not line.problems:
            line.problems.append(Said("colonne « %(name)s » : valeur obligatoire", name=name))
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


def merge_texts(lines: list[Line], problems: list[Said]) -> dict[str, str]:
    """The texts of a filière; two lines giving different texts for the same field is a problem."""
    texts: dict[str, str] = {}
    for line in lines:
        for key, value in line.texts.items():
            if key in texts and texts[key] != value:
                problems.append(Said("ligne %(line)s : texte « %(key)s » différent d’une ligne précédente de la "
                                     "filière", line=line.number, key=key))
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
