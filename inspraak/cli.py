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
