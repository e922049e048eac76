"""The `flask inspraak …` command group."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from inspraak.extensions import db

cli_group = AppGroup("inspraak", help="inspraak management commands.")


@cli_group.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo data is already there.")
def demo_command(if_empty: bool) -> None:
    """Load demo data and print how to sign in."""
    from inspraak.demo import demo_exists, load_demo, sign_in_lines

    if demo_exists():
        if not if_empty:
            raise click.ClickException("Demo data is already loaded; start from an empty database.")
        click.echo("Demo data was loaded before; new letter codes for the demo tenants:")
        lines = sign_in_lines()
    else:
        lines = load_demo()
    db.session.commit()
    click.echo("\n".join(lines))


@cli_group.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 1000), help="Messages claimed at a time.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(0.1), help="Seconds between looks.")
def send_mail_command(once: bool, batch: int, interval: float) -> None:
    """Send queued mail (MAIL_BACKEND smtp or console); stops cleanly on Ctrl+C or SIGTERM."""
    from inspraak.notify.worker import run_from_cli

    run_from_cli(once=once, batch_size=batch, interval=interval)


@cli_group.command("tick")
@click.option("--once", is_flag=True, help="Do what is due now, then stop (for cron).")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(0.1), help="Seconds between looks.")
def tick_command(once: bool, interval: float) -> None:
    """Do what the clock makes due: close consultations whose closing time has passed, remove the
    answers and codes of consultations published longer ago than RESPONSES_KEPT_DAYS, and forget
    the tokens of forms sent more than 30 days ago."""
    from sqlalchemy.exc import SQLAlchemyError

    from inspraak.consultations.closing import auto_close_due
    from inspraak.core.once import forget_old
    from inspraak.core.signals import stop_on_signals
    from inspraak.results.retention import remove_due

    with stop_on_signals() as stop:
        while True:
            closed, removed = [], []
            try:
                done = [(c.id, c.corporation_id) for c in auto_close_due()]
                db.session.commit()
                closed = done  # said only once committed
                gone = remove_due()
                db.session.commit()
                removed = gone
                forget_old()  # the tokens of forms sent long ago (core.once); nothing to say about them
                db.session.commit()
            except SQLAlchemyError as error:
                db.session.rollback()
                if once:
                    raise
                click.echo(f"Tick failed, trying again in {interval:g} seconds: {error}", err=True)
            finally:
                db.session.remove()
            for consultation_id, corporation_id in closed:
                click.echo(f"Closed consultation {consultation_id} (corporation {corporation_id}): its closing time passed.")
            for item in removed:
                click.echo(f"Removed the answers of consultation {item.consultation_id} (corporation "
                           f"{item.corporation_id}): {item.responses} responses, {item.participations} records of "
                           f"taking part, {item.drafts} drafts, {item.codes} codes. The published results stay.")
            if once or stop.wait(interval):
                return


@cli_group.command("send-reminders")
def send_reminders_command() -> None:
    """Queue deadline reminders for advice requests (run daily); each step is reminded once."""
    from inspraak.council.reminders import send_reminders

    run = send_reminders()
    db.session.commit()
    click.echo(f"Reminders: {run.steps} deadline(s), {run.messages} message(s) queued.")


@cli_group.command("import-tenants")
@click.argument("file", type=click.File("rb"))
@click.option("--corporation", "slug", required=True, help="The corporation's short name (slug), as in its URLs.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; change nothing.")
def import_tenants_command(file, slug: str, dry_run: bool) -> None:  # noqa: ANN001
    """Import a CSV file of tenants for one corporation (all or nothing)."""
    import sqlalchemy as sa

    from inspraak.core.db import lock_outside_requests
    from inspraak.people.imports import import_tenant_file
    from inspraak.people.models import Corporation

    # Read as the upload page does, without SQLite's write lock: the import takes it for its writes only.
    reading = lock_outside_requests.set(False)
    try:
        corporation = db.session.scalar(sa.select(Corporation).where(Corporation.slug == slug))
        if corporation is None:
            raise click.ClickException(f"There is no corporation with the slug {slug!r}.")
        result = import_tenant_file(corporation, file.read(), dry_run=dry_run, actor=None)
    finally:
        lock_outside_requests.reset(reading)
    for warning in result.warnings:
        click.echo(f"Line {warning.line}: {warning.message}", err=True)
    if not result.ok:
        db.session.rollback()
        for error in result.errors:
            click.echo(f"Line {error.line}: {error.message}", err=True)
        raise click.ClickException(
            f"The file has {len(result.errors)} error(s). Nothing was imported. Fix the lines above and try again."
        )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo("\n".join(summary_lines(corporation.name, result)))


def summary_lines(corporation_name: str, result) -> list[str]:  # noqa: ANN001
    """The import summary as plain text lines."""
    summary = result.summary
    head = "Check only, nothing changed. The import would give" if result.dry_run else "Imported"
    lines = [f"{head} for {corporation_name}: {summary.rows} lines read."]
    for kind in summary.KINDS:
        counts = getattr(summary, kind)
        lines.append(f"  {kind:<15} {counts.created:>7} new {counts.updated:>7} changed {counts.unchanged:>7} unchanged")
    lines.append(f"  tenancies ended {summary.tenancies_ended:>7}")
    lines.append(f"  persons left    {summary.persons_left:>7}")
    if summary.changes == 0:
        lines.append("No changes: inspraak already matches this file.")
    if summary.looks_partial:
        lines.append(
            f"Careful: {summary.tenancies_missing} of {summary.households_before} households are not in this file and "
            "end. Is this the complete list of tenants? (Importing the complete file later starts them again.)"
        )
    return lines
