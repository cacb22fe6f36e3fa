"""The table and ratios of bench/live_fanout.py, and their section in docs/PERFORMANCE.md."""
import os
import platform
import statistics
from datetime import date
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"
HEADING = "## Séances en direct"
#: Load average when the bench started: the machine may be shared, and the figures are read with it.
LOAD = os.getloadavg()


def _best_median(runs: list[dict], key: str, best=min) -> tuple[float, float]:
    """The best run (closest to an idle machine) and the median one."""
    values = sorted(r[key] for r in runs)
    return best(values), statistics.median(values)


def report(results: dict, names: list[str], args) -> str:
    """A Markdown table (best / median of the runs) per N and server, then our ratios to the floor and the peer."""
    cop, bare = names[0], names[1]
    peer = names[2] if len(names) > 2 else None
    ns = sorted({n for _, n in results})
    lines = [f"Mesuré le {date.today():%d/%m/%Y} sur cette machine ({os.cpu_count()} cœurs partagés avec d’autres "
             f"travaux, charge moyenne {LOAD[0]:.1f} au départ ; Python {platform.python_version()}), boucle locale : "
             f"`python bench/live_fanout.py --commands {args.commands} --burst {args.burst} --repeat {args.repeat}`. "
             "Un client de banc unique (un protocole asyncio par connexion) mesure les trois serveurs, qui passent "
             "à tour de rôle. Latence : de l’envoi d’une commande par la présidence à la réception de son événement "
             f"par le **dernier** des N clients, commandes une à une ({args.commands} par passe) ; débit : rafale de "
             f"{args.burst} commandes entièrement livrée ; mémoire : croissance du RSS du serveur / N. Chaque case : "
             f"*meilleure / médiane* de {args.repeat} passes.", "",
             "| N | serveur | p50 (ms) | p99 (ms) | commandes/s | ko/connexion |", "|---:|---|---:|---:|---:|---:|"]
    for n in ns:
        for name in names:
            runs = results[(name, n)]
            p50, p99 = _best_median(runs, "p50"), _best_median(runs, "p99")
            rate, kb = _best_median(runs, "rate", max), _best_median(runs, "kb")
            lines.append(f"| {n:,} | {name} | {p50[0]:.1f} / {p50[1]:.1f} | {p99[0]:.1f} / {p99[1]:.1f} | "
                         f"{rate[0]:,.0f} / {rate[1]:,.0f} | {kb[1]:.1f} |".replace(",", "\u202f"))
    lines += ["", "| N | p99 COP / plancher | p99 COP / Flask-SocketIO | mémoire COP / Flask-SocketIO |",
              "|---:|---:|---:|---:|"]
    for n in ns:
        c, b = _best_median(results[(cop, n)], "p99"), _best_median(results[(bare, n)], "p99")
        line = f"| {n:,} | {c[0] / b[0]:.2f} / {c[1] / b[1]:.2f} |"
        if peer:
            p = _best_median(results[(peer, n)], "p99")
            ck, pk = _best_median(results[(cop, n)], "kb")[1], _best_median(results[(peer, n)], "kb")[1]
            line += f" {c[0] / p[0]:.2f} / {c[1] / p[1]:.2f} | {ck / pk:.2f} |"
        else:
            line += " — | — |"
        lines.append(line.replace(",", "\u202f"))
    lines += ["", verdict(results, names)]
    return "\n".join(lines)


def verdict(results: dict, names: list[str]) -> str:
    """The goals of the issue, checked on the best and on the median runs."""
    cop, bare = names[0], names[1]
    peer = names[2] if len(names) > 2 else None
    if (cop, 1000) not in results:
        return "Objectifs à 1 000 clients : non mesurés dans cette passe."
    parts = []
    for label, pick in (("meilleures passes", 0), ("passes médianes", 1)):
        c, b = _best_median(results[(cop, 1000)], "p99")[pick], _best_median(results[(bare, 1000)], "p99")[pick]
        kb = _best_median(results[(cop, 1000)], "kb")[1]
        ahead = [n for _, n in results if _ == cop and peer and _best_median(results[(cop, n)], "p99")[pick]
                 < _best_median(results[(peer, n)], "p99")[pick]]
        behind = sorted({n for _, n in results} - set(ahead)) if peer else []
        text = (f"{label} — à 1 000 clients : p99 {c:.1f} ms ({'<' if c < 45 else '≥'} 45 ms), "
                f"{c / b:.2f} × le plancher ({'≤' if c / b <= 1.5 else '>'} 1,5), {kb:.1f} ko/connexion "
                f"({'<' if kb < 30 else '≥'} 30 ko)")
        if peer:
            text += (f" ; devant Flask-SocketIO (p99) à N = {', '.join(map(str, sorted(ahead))) or 'aucun'}"
                     + (f", derrière à N = {', '.join(map(str, behind))}" if behind else ""))
        parts.append(text + ".")
    return "**Objectifs.** " + " ".join(p[0].upper() + p[1:] for p in parts)


def write_docs(table: str) -> None:
    """Replace (or add) our section of docs/PERFORMANCE.md, leaving the other sections alone."""
    text = DOC.read_text() if DOC.exists() else "# Performances\n"
    intro = ("Chaque événement de séance est une ligne validée en base (`MeetingEvent`, seq sans trou) avant "
             "d’être diffusée ; le plancher est un serveur `websockets` nu qui ne fait que relayer, le pair est "
             "Flask-SocketIO sous le worker gevent de gunicorn, émettant le même événement à une room. "
             "Objectif : à 1 000 clients, p99 < 45 ms, au plus 1,5 × le plancher, < 30 ko par connexion, et devant "
             "Flask-SocketIO à chaque N. Lecture : à petit N, la latence de COP est dominée par la validation en "
             "base (verrou, contrôles, écriture de l’événement, commit : 2 à 4 ms par commande ici) que les deux "
             "autres serveurs n’ont pas ; à grand N, par la diffusion elle-même, la même pour les trois. La machine "
             "est partagée : l’écart entre meilleure passe et médiane mesure la charge des autres travaux.")
    section = f"{HEADING}\n\n{intro}\n\n{table}\n"
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    DOC.write_text(text)
