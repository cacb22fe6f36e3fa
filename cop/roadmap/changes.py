"""What changed between two consolidations of a roadmap, in sentences a secretariat would write."""
from decimal import Decimal

from cop.filters import number


def _value(raw) -> str:
    """A stored number (integer or decimal string) as a French reader writes it."""
    value = Decimal(str(raw))
    return number(value, 0 if value == value.to_integral_value() else 2)


def _pledges(chapter: dict) -> dict:
    """Pledges of a chapter keyed by (party, indicator)."""
    return {(p["party"], p["indicator"]): p for p in chapter["pledges"]}


def _pledge_changes(name: str, old: dict, new: dict, indicators: dict) -> list[str]:
    """Added, removed and changed pledges of one chapter."""
    out, before, after = [], _pledges(old), _pledges(new)
    for key in sorted(set(before) | set(after), key=str):
        a, b = before.get(key), after.get(key)
        label = indicators.get(key[1], key[1])
        if a is None:
            out.append(f"{name} · {b['party_name']} : nouvelle cible « {label} » de {_value(b['unconditional'])}")
        elif b is None:
            out.append(f"{name} · {a['party_name']} : la cible « {label} » ne figure plus")
        else:
            for field, word in (("unconditional", "inconditionnel"), ("conditional", "conditionnel")):
                if Decimal(str(a[field])) != Decimal(str(b[field])):
                    out.append(f"{name} · {b['party_name']} : « {label} » {word} "
                               f"{_value(a[field])} → {_value(b[field])}")
    return out


def _chapter_changes(old: dict, new: dict) -> list[str]:
    """Changes inside one chapter present in both versions."""
    name = new["name"]
    indicators = {r["indicator"]: r["name"] for r in old["indicators"] + new["indicators"]}
    out = _pledge_changes(name, old, new, indicators)
    if old["framing"] != new["framing"]:
        out.append(f"{name} : le texte de cadrage a changé")
    added = {a["number"] for a in new["actions"]} - {a["number"] for a in old["actions"]}
    out += [f"{name} : décision n° {n} ajoutée aux actions collectives" for n in sorted(added)]
    return out


def changes(old: dict, new: dict) -> list[str]:
    """Every difference a reader should know of, chapter by chapter, then the annexes."""
    before = {c["sector"]: c for c in old["chapters"]}
    after = {c["sector"]: c for c in new["chapters"]}
    out = []
    for chapter in new["chapters"]:
        if chapter["sector"] not in before:
            out.append(f"Nouveau chapitre : {chapter['name']}")
        else:
            out += _chapter_changes(before[chapter["sector"]], chapter)
    out += [f"Chapitre retiré : {c['name']}" for c in old["chapters"] if c["sector"] not in after]
    added = {a["number"] for a in new["general_actions"]} - {a["number"] for a in old["general_actions"]}
    out += [f"Décision n° {n} ajoutée aux actions collectives générales" for n in sorted(added)]
    silent_before = {p["party"]: p["party_name"] for p in old["annexes"]["silent_parties"]}
    silent_after = {p["party"]: p["party_name"] for p in new["annexes"]["silent_parties"]}
    out += [f"{name} a déposé ses premiers engagements" for pid, name in silent_before.items()
            if pid not in silent_after]
    out += [f"{name} n’a plus d’engagement déposé" for pid, name in silent_after.items() if pid not in silent_before]
    steps = len(new["annexes"]["step_backs"]) - len(old["annexes"]["step_backs"])
    if steps > 0:
        out.append(f"{steps} nouveau(x) recul(s) justifié(s) en annexe")
    return out
