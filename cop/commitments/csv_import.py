"""Import a party's pledges from a CSV file: every line checked first, then all written or nothing.

Layout (one line per pledge; the header names the columns, in any order; "," or ";" separated):
filiere, indicateur, annee_reference, valeur_reference, annee_cible, valeur_inconditionnelle,
valeur_conditionnelle are required; financeur, montant_appui, objet_appui describe an optional support
request that conditions the line's pledge; perimetre, actions, hypotheses_methode, preparation_locale,
equite_ambition, contribution_objectif, justification are optional texts of the filière's commitment.
For every filière of the file, the draft's pledges and support requests are replaced by the file's;
texts given replace the draft's, the others are kept, and so are its sites and partners.

Encoding: UTF-8 (with or without BOM) by default; Windows-1252 only when the person says so. A file
that does not decode is refused as a whole with a message saying how to save it.
"""
import csv
import io
import re
from dataclasses import dataclass, field

from cop.auth.models import User
from cop.commitments import csv_layout as layout
from cop.commitments import drafts, services
from cop.commitments.inputs import DraftInput, Problem, check_draft
from cop.commitments.models import Commitment, PartyPrioritySector
from cop.conferences.models import Party
from cop.db import db
from cop.errors import DomainError, Invalid, N_, Said
from cop.reference.models import Indicator, Sector

MAX_BYTES = 1_000_000
MAX_LINES = 2000


class ImportRefused(Invalid):
    """The file was refused; `problems` lists every bad line with its reason."""

    def __init__(self, problems: list[Said]):
        super().__init__(N_("Aucun engagement n’a été importé : le fichier contient des erreurs."))
        self.problems = problems


@dataclass
class Group:
    """The lines of one filière."""

    sector: str
    lines: list[layout.Line] = field(default_factory=list)


def decode(data: bytes, encoding: str) -> str:
    """The text of the file in the encoding the person chose, or a refusal saying how to fix it."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([Said("le fichier dépasse %(n)s Mo : découpez-le", n=MAX_BYTES // 1_000_000)])
    if b"\x00" in data:
        raise ImportRefused([Said("le fichier n’est pas un fichier texte CSV")])
    if encoding not in ("utf-8", "cp1252"):
        raise ImportRefused([Said("encodage non pris en charge : choisissez UTF-8 ou Windows-1252")])
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else "cp1252")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused([Said("ligne %(line)s : le fichier n’est pas en %(encoding)s. Enregistrez-le en « CSV "
                                  "UTF-8 » ou choisissez l’encodage Windows-1252", line=line,
                                  encoding="UTF-8" if encoding == "utf-8" else encoding)]) from None


def read(text: str) -> tuple[list[layout.Line], list[Said]]:
    """Every line of the file parsed, and the problems found, each naming its line."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        problems = layout.check_header(header)
        if problems:
            return [], problems
        lines = []
        for fields in reader:
            if not any(cell.strip() for cell in fields):
                continue
            if len(lines) >= MAX_LINES:
                return lines, [Said("le fichier dépasse %(n)s lignes : découpez-le", n=MAX_LINES)]
            lines.append(layout.parse_line(reader.line_num, header, fields))
    except csv.Error as error:
        return [], [Said("ligne %(line)s : CSV mal formé (%(error)s)", line=reader.line_num, error=str(error))]
    return lines, [Said("ligne %(line)s : %(problem)s", line=line.number, problem=problem)
                   for line in lines for problem in line.problems]


def _plan(party: Party, lines: list[layout.Line]) -> tuple[dict[str, Group], list[Said]]:
    """Group the lines by filière and check what only the database knows: filières, catalogue, communes."""
    groups: dict[str, Group] = {}
    for line in lines:
        groups.setdefault(line.sector, Group(line.sector)).lines.append(line)
    sectors = dict(db.session.execute(db.select(Sector.code, Sector.id)).all())
    chosen = set(db.session.scalars(db.select(PartyPrioritySector.sector_id).filter_by(party_id=party.id)))
    indicators = set(db.session.scalars(db.select(Indicator.code)))
    problems = []
    for group in groups.values():
        numbers = ", ".join(str(line.number) for line in group.lines)
        if group.sector not in sectors:
            problems.append(Said("ligne(s) %(line)s : filière inconnue « %(sector)s »", line=numbers,
                                 sector=group.sector))
            continue
        if sectors[group.sector] not in chosen:
            problems.append(Said("ligne(s) %(line)s : la filière « %(sector)s » n’est pas une priorité de la partie",
                                 line=numbers, sector=group.sector))
        texts = layout.merge_texts(group.lines, problems)
        data = layout.to_input(group.lines, texts)
        for problem in check_draft(data, indicators, set()):
            problems.append(_where(problem, group))
    return groups, problems


def _where(problem: Problem, group: Group) -> Said:
    """A draft's problem said with its line ("ligne N : …"), or its filière for one of the whole filière."""
    if problem.ref is None:
        return Said("filière « %(sector)s » : %(problem)s", sector=group.sector, problem=problem.message)
    return Said("ligne %(line)s : %(problem)s", line=group.lines[problem.ref[1]].number, problem=problem.message)


def _line_number(problem: Said) -> int:
    """The first line number a problem names (0 for the whole file or filière), to list problems in file order."""
    match = re.match(r"\d+", str(problem.params.get("line", "")))
    return int(match.group()) if match else 0


def import_csv(user: User, party: Party, data: bytes, encoding: str = "utf-8") -> dict:
    """Check the whole file, then write one draft per filière; any bad line imports nothing."""
    services.check_filer(user, party)
    lines, problems = read(decode(data, encoding))
    if not problems and not lines:
        problems = [Said("le fichier ne contient aucune ligne de données")]
    groups, more = _plan(party, [line for line in lines if line.pledge is not None])
    problems = sorted(problems + more, key=_line_number)
    if problems:
        raise ImportRefused(problems)
    sectors = {s.code: s for s in db.session.scalars(db.select(Sector))}
    for group in groups.values():
        _write(user, party, sectors[group.sector], group)
    return {"commitments": len(groups), "pledges": len(lines)}


def _write(user: User, party: Party, sector: Sector, group: Group) -> None:
    """Replace the pledges and support requests of the filière's draft with the file's lines."""
    commitment = db.session.scalar(db.select(Commitment).filter_by(party_id=party.id, sector_id=sector.id))
    if commitment is None:
        commitment = services.start_commitment(user, party, sector)
    draft = services.open_draft(user, commitment)
    kept = drafts.snapshot(draft)
    texts = {**kept.texts, **{k: v for k, v in layout.merge_texts(group.lines, []).items() if v}}
    data: DraftInput = layout.to_input(group.lines, texts)
    data.sites, data.partner_ids = kept.sites, kept.partner_ids
    try:
        services.save_draft(user, commitment, commitment.version, data)
    except DomainError as error:
        raise ImportRefused([Said("filière « %(sector)s » : %(problem)s", sector=sector.code,
                                  problem=error.said())]) from None

