"""Command-line tools: `flask --app wsgi cop seed|demo|create-user|serve|export|import|audit|roadmap`."""
import signal
import subprocess
import sys

import click
from flask import Flask, current_app
from werkzeug.serving import run_simple
from flask.cli import AppGroup

from cop.db import db

cop_cli = AppGroup("cop", help="Outils d'administration de COP.")


@cop_cli.command("seed")
def seed() -> None:
    """Load territories, filières and indicators (idempotent)."""
    from cop.reference.seed import load_reference
    from cop.territories.seed import load_territories

    from cop.territories.seed import SeedError

    try:
        counts = load_territories(db.session)
        counts.update(load_reference(db.session))
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for name, value in counts.items():
        click.echo(f"{name}: {value}")


@cop_cli.command("demo")
@click.option("--feuille-de-route", "roadmap", is_flag=True, default=False,
              help="Mener la COP jusqu'à la feuille de route adoptée, signée sur délibérations, puis modifiée.")
def demo(roadmap: bool) -> None:
    """Seed, then build the AURA demo COP and print the demo accounts (idempotent)."""
    from cop.demo import build_demo

    accounts = build_demo()
    if roadmap:
        from cop.demo import build_demo_roadmap

        build_demo_roadmap()
    click.echo("COP de démonstration prête. Comptes (courriel / mot de passe / rôle) :")
    for email, password, label in accounts:
        click.echo(f"  {email:<40} {password:<16} {label}")


@cop_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", required=True)
@click.option("--admin", is_flag=True, default=False)
def create_user(email: str, password: str, name: str, admin: bool) -> None:
    """Create an account (an administrator with --admin)."""
    from cop.auth.services import create_user as create
    from cop.errors import DomainError

    try:
        user = create(email=email, password=password, name=name, is_admin=admin)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    click.echo(f"Compte créé : {user.email}{' (administrateur)' if admin else ''}")


@cop_cli.command("mail-worker")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
def mail_worker(once: bool) -> None:
    """Send the queued e-mail (SMTP when COP_SMTP_HOST is set, else printed here), retrying with back-off."""
    from cop.notify import worker

    if once:
        click.echo(worker.run_once())
        return
    click.echo("Envoi des courriels en file d’attente (Ctrl-C pour arrêter).")
    worker.run()


@cop_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Start the live server and the web app together (demo and development)."""
    live = subprocess.Popen([sys.executable, "-m", "cop.live"])
    mailer = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "cop", "mail-worker"])
    # SIGTERM ends the web server like Ctrl-C, so that the live server is stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"COP : http://{host}:{port}  —  séances en direct : {current_app.config['COP_LIVE_URL']}")
    try:
        run_simple(host, port, current_app._get_current_object(), threaded=True)
    finally:
        for process in (live, mailer):
            process.terminate()
        for process in (live, mailer):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@cop_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
def export_command(path: str) -> None:
    """Write every table to PATH as JSON lines (one consistent read); "-" writes to standard output."""
    from cop.backup import export

    with click.open_file(path, "w", encoding="utf-8", atomic=path != "-") as out:
        counts = export(out)
    click.echo(f"Export écrit : {sum(counts.values())} lignes dans {len(counts)} tables.", err=path == "-")


@cop_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
def import_command(path: str) -> None:
    """Restore an export into this database, which must be empty (its schema migrated); all or nothing."""
    from cop.backup import RestoreError, restore

    try:
        with click.open_file(path, "r", encoding="utf-8") as lines:
            counts = restore(lines)
    except RestoreError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restauration terminée : {sum(counts.values())} lignes dans {len(counts)} tables.")


audit_cli = AppGroup("audit", help="Journal d'audit chaîné.")
cop_cli.add_command(audit_cli)


@audit_cli.command("verify")
@click.option("--against", "against", type=click.File("r", encoding="utf-8"), default=None,
              help="Une tête publiée plus tôt : JSON, datapackage.json ou flux Atom du journal.")
def audit_verify(against) -> None:
    """Recompute the audit chain, the figures of accepted commitments, and compare with an earlier published head."""
    from cop.audit.anchor import check_against, check_figures, read_heads
    from cop.audit.services import verify_chain

    checked, broken = verify_chain()
    if broken:
        raise click.ClickException(f"Chaîne rompue au maillon {broken.seq} : {broken.reason} "
                                   f"({checked} maillons valides avant).")
    problems = []
    if against is not None:
        heads = read_heads(against.read())
        if not heads:
            raise click.ClickException("Ce fichier ne contient aucune tête de chaîne publiée.")
        problems += check_against(heads)
    versions, findings, uncovered = check_figures()
    problems += findings
    problems += _sums_problems()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} anomalie(s).")
    legacy = f" ({uncovered} acceptée(s) avant le scellement des chiffres)" if uncovered else ""
    anchored = ", conforme à la tête publiée" if against is not None else ""
    click.echo(f"Chaîne d'audit intègre : {checked} maillons vérifiés, chiffres de {versions} version(s) "
               f"acceptée(s) conformes{legacy}{anchored}.")


def _sums_problems() -> list[str]:
    """The synthesis's sums kept (filing_sum) that differ from what the counted lines add up to."""
    from cop.commitments.filing_sums import check
    from cop.db import db

    return [f"Sommes de la synthèse de la COP {key[0]}, filière {key[1]}, indicateur {key[2]} : conservées {kept}, "
            f"recalculées {fresh} (« flask --app wsgi cop recount » les recalcule)."
            for key, kept, fresh in check(db.session)]


@cop_cli.command("recount")
def recount_command() -> None:
    """Compute again the synthesis's sums of every COP from the counted lines (after rows were written by hand)."""
    from cop.commitments.filing_sums import ALL, recount
    from cop.db import db

    recount(db.session.connection(), ALL)
    db.session.commit()
    click.echo("Sommes de la synthèse recalculées pour toutes les COP.")


roadmap_cli = AppGroup("roadmap", help="Feuilles de route adoptées.")
cop_cli.add_command(roadmap_cli)


@roadmap_cli.command("verify")
@click.option("--conference", "conference_id", type=int, default=None, help="Une seule COP (son identifiant).")
def roadmap_verify(conference_id) -> None:
    """Recompute every adopted version's hash, re-derive its canonical JSON from the stored content, check the chain
    of amended versions and every signature's act against its recorded SHA-256."""
    from cop.roadmap import acts
    from cop.roadmap.freeze import verify_all

    checked, findings = verify_all(conference_id)
    for finding in findings:
        version = finding.version
        click.echo(f"COP {version.roadmap.conference.code}, version {version.number} : {finding.message}", err=True)
    acts_checked, act_problems = acts.verify_all(conference_id)
    for problem in act_problems:
        click.echo(problem, err=True)
    if findings or act_problems:
        raise click.ClickException(f"{len(findings) + len(act_problems)} anomalie(s) sur {checked} version(s) "
                                   f"adoptée(s) et {acts_checked} acte(s) de signature.")
    click.echo(f"Feuilles de route intègres : {checked} version(s) adoptée(s) et {acts_checked} acte(s) de "
               f"signature vérifiés.")


contract_cli = AppGroup("contract", help="Contrats des territoires.")
cop_cli.add_command(contract_cli)


@contract_cli.command("verify")
@click.option("--conference", "conference_id", type=int, default=None, help="Une seule COP (son identifiant).")
def contract_verify(conference_id) -> None:
    """Recompute every contract's SHA-256 from its canonical JSON, re-derive that JSON from the stored content and
    milestones, check its signatures and every act's PDF against its recorded SHA-256."""
    from cop.contracts.verify import verify_all

    contracts, acts, problems = verify_all(conference_id)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} anomalie(s) sur {contracts} contrat(s) et {acts} acte(s) de "
                                   f"signature.")
    click.echo(f"Contrats intègres : {contracts} contrat(s) et {acts} acte(s) de signature vérifiés.")


seal_cli = AppGroup("seal", help="Projets, engagements et sites confidentiels scellés puis révélés.")
cop_cli.add_command(seal_cli)


@seal_cli.command("verify")
@click.option("--conference", "conference_id", type=int, default=None, help="Une seule COP (son identifiant).")
def seal_verify(conference_id) -> None:
    """Recompute the seal of every sealed project, commitment and site, and check the seals the roadmaps published."""
    from cop.seals.verify import verify_all

    checked, revealed, findings = verify_all(conference_id)
    for finding in findings:
        click.echo(finding, err=True)
    if findings:
        raise click.ClickException(f"{len(findings)} anomalie(s) sur {checked} contenu(s) scellé(s).")
    click.echo(f"Sceaux intègres : {checked} contenu(s) scellé(s) (projets, engagements, sites), dont {revealed} "
               "révélé(s) conforme(s) à leur sceau.")


@seal_cli.command("reveal-due")
@click.option("--now", "now", default=None, help="L’instant de référence (ISO 8601, UTC) ; par défaut maintenant.")
def seal_reveal_due(now) -> None:
    """Warn the holders a week before their announcement date, reveal the sealed contents whose date has come."""
    from datetime import datetime, timezone

    from cop.db import utcnow
    from cop.seals import schedule

    try:
        moment = datetime.fromisoformat(now) if now else utcnow()
    except ValueError:
        raise click.ClickException("Date invalide : attendu un instant ISO 8601.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    warned, revealed = schedule.run(moment)
    db.session.commit()
    click.echo(f"{len(warned)} détenteur(s) prévenu(s), {len(revealed)} contenu(s) scellé(s) révélé(s).")


@cop_cli.command("purge-ballots")
def purge_ballots() -> None:
    """Make the keys of closed secret votes unrecoverable from the database files (done after every close)."""
    from cop.negotiation.votes.ballots import purge

    if not purge(db.engine):
        raise click.ClickException("Purge incomplète : une transaction retient encore l'ancienne version ; réessayez.")
    click.echo("Clés des votes secrets clos effacées des fichiers de la base.")


def init_app(app: Flask) -> None:
    """Attach the `cop` command group to the app."""
    from cop.auth.cli import user_cli

    cop_cli.add_command(user_cli)
    app.cli.add_command(cop_cli)
