"""Read the figures per intercommunality the presidency imports: every line checked, each problem named.

Layout: a header `siren;<critère>;<critère>…` (an optional `nom` column is ignored), then one line per EPCI party
of the COP: its SIREN and one figure per criterion (French or international notation, no negative). Every EPCI
party of the COP has one line, and only they do. "," or ";" separated, UTF-8 (with or without BOM).
"""
import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from cop.errors import Invalid, N_
from cop.numbers import parse_decimal

MAX_BYTES = 500_000
MAX_LINES = 2000
MAX_CRITERIA = 8
MAX_FIGURE = Decimal("1e15")
NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")
IGNORED = {"nom", "name"}


class FiguresRefused(Invalid):
    """The file was refused; `problems` lists every bad line with its reason (in French, like the file)."""

    def __init__(self, problems: list[str]):
        super().__init__(N_("Aucun chiffre n’a été importé : le fichier contient des erreurs."))
        self.problems = problems


@dataclass
class Figures:
    """The criteria (column names, in order) and, per SIREN, one figure per criterion."""

    criteria: list[str]
    rows: dict[str, list[Decimal]] = field(default_factory=dict)


def decode(data: bytes) -> str:
    """The text of an UTF-8 file, or a refusal saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise FiguresRefused([f"le fichier dépasse {MAX_BYTES // 1000} ko"])
    if not data.strip():
        raise FiguresRefused(["le fichier est vide"])
    if b"\x00" in data:
        raise FiguresRefused(["le fichier n’est pas un fichier texte CSV"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FiguresRefused([f"ligne {line} : le fichier n’est pas en UTF-8 ; enregistrez-le en « CSV UTF-8 »"]) \
            from None


def _header(header: list[str] | None) -> tuple[list[str], list[str]]:
    """The criteria named by the header, and the header's problems."""
    if not header:
        return [], ["ligne 1 : l’en-tête est vide ; attendu « siren;critère;… »"]
    names = [cell.strip().lower() for cell in header]
    problems = []
    if names[0] != "siren":
        problems.append("ligne 1 : la première colonne doit s’appeler « siren »")
    criteria = [name for name in names[1:] if name not in IGNORED]
    for name in criteria:
        if not NAME_RE.fullmatch(name):
            problems.append(f"ligne 1 : nom de critère refusé « {name[:40]} » (lettres minuscules sans accent, "
                            "chiffres et _ ; 64 caractères au plus)")
    if len(set(criteria)) != len(criteria):
        problems.append("ligne 1 : un critère apparaît deux fois")
    if not criteria:
        problems.append("ligne 1 : aucun critère ; ajoutez au moins une colonne de chiffres")
    if len(criteria) > MAX_CRITERIA:
        problems.append(f"ligne 1 : {len(criteria)} critères ; {MAX_CRITERIA} au plus")
    return criteria, problems


def _figure(raw: str, number: int, name: str) -> tuple[Decimal | None, str | None]:
    """One cell as a figure, or the problem it raises."""
    if raw.strip()[:1] in ("=", "+", "@") or raw.strip()[:1] == "-" and not raw.strip()[1:2].isdigit():
        return None, f"ligne {number} : « {name} » contient une formule, refusée"
    try:
        value = parse_decimal(raw)
    except ValueError as error:
        return None, f"ligne {number} : « {name} » : {error}"
    if value is None:
        return None, f"ligne {number} : « {name} » est vide"
    if value < 0:
        return None, f"ligne {number} : « {name} » est négatif"
    if value >= MAX_FIGURE or value != value.quantize(Decimal("0.01")):
        return None, f"ligne {number} : « {name} » : deux décimales et moins de 10¹⁵ au plus"
    return value, None


def read(text: str, sirens: dict[str, str]) -> Figures:
    """The figures of a file, checked against the COP's EPCI (SIREN → name); FiguresRefused lists every problem."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        criteria, problems = _header(header)
        if problems:
            raise FiguresRefused(problems)
        columns = [i for i, cell in enumerate(header) if i and cell.strip().lower() not in IGNORED]
        figures = Figures(criteria)
        for fields in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in fields):
                continue
            if len(figures.rows) >= MAX_LINES:
                raise FiguresRefused([f"le fichier dépasse {MAX_LINES} lignes"])
            problems += _line(fields, number, header, columns, criteria, sirens, figures)
    except csv.Error as error:
        raise FiguresRefused([f"ligne {reader.line_num} : CSV mal formé ({error})"]) from None
    missing = sorted(set(sirens) - set(figures.rows))
    problems += [f"l’EPCI {sirens[siren]} ({siren}) n’a pas de ligne" for siren in missing[:20]]
    if len(missing) > 20:
        problems.append(f"… et {len(missing) - 20} autres EPCI sans ligne")
    if problems:
        raise FiguresRefused(problems)
    return figures


def _line(fields, number, header, columns, criteria, sirens, figures) -> list[str]:
    """Check one line and keep its figures; return its problems."""
    if len(fields) != len(header):
        return [f"ligne {number} : {len(fields)} colonnes au lieu de {len(header)}"]
    siren = fields[0].strip()
    if not re.fullmatch(r"\d{9}", siren):
        return [f"ligne {number} : SIREN « {siren[:20]} » refusé (neuf chiffres)"]
    if siren not in sirens:
        return [f"ligne {number} : le SIREN {siren} n’est pas une intercommunalité partie à cette COP"]
    if siren in figures.rows:
        return [f"ligne {number} : le SIREN {siren} apparaît deux fois"]
    values, problems = [], []
    for index, name in zip(columns, criteria):
        value, problem = _figure(fields[index], number, name)
        values.append(value)
        problems += [problem] if problem else []
    if not problems:
        figures.rows[siren] = values
    return problems


def parse_weights(raw: str, criteria: list[str]) -> dict[str, Decimal]:
    """Weights typed as « emplois=2 ; foncier=1 » (every criterion 1 when empty); Invalid when wrong."""
    weights = {name: Decimal(1) for name in criteria}
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", raw or ""))):
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep or name not in weights:
            raise Invalid("Pondération refusée : « %(part)s » ; écrivez « critère=poids » pour un critère du fichier.",
                          part=part[:60])
        try:
            weight = parse_decimal(value)
        except ValueError:
            weight = None
        if weight is None or not Decimal(0) <= weight <= Decimal(1000) or weight != weight.quantize(Decimal("0.01")):
            raise Invalid("Le poids de « %(name)s » doit être un nombre de 0 à 1 000.", name=name)
        weights[name] = weight
    if not any(weights.values()):
        raise Invalid("Au moins un critère doit avoir un poids non nul.")
    return weights
