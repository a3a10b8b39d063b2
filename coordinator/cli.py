"""Command line: ``flask --app wsgi users|audit|keys|...``. Each command commits once."""
import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from . import notifications
from .extensions import db
from .links import absolute_url
from .roles import ROLES

users_cli = AppGroup("users", help="Manage accounts.")
audit_cli = AppGroup("audit", help="The audit trail.")


def _activation_link(token):
    return absolute_url("auth.activation_link", token=token)


def _user_or_fail(email):
    from .auth import services

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the e-mail {email}.")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--name", default=None, help="Display name (default: the part of the e-mail before @).")
@click.option("--unit", default=None, help="Unit, for officers (e.g. 'Socialtjänst, barn och unga').")
def create_user(email, roles, name, unit):
    """Create an account and print its single-use activation link."""
    from email_validator import EmailNotValidError, validate_email

    from .auth import services

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"Not a valid e-mail address: {email} ({exc}).") from None
    try:
        user, token = services.create_user(email, name or email.split("@")[0], list(roles), unit)
    except services.PolicyError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    hours = current_app.config["ACTIVATION_VALID_HOURS"]
    click.echo(f"Created {user.email} ({', '.join(sorted(user.role_set))}).")
    click.echo(f"Activation link (single use, valid {hours} hours):")
    click.echo(_activation_link(token))


@users_cli.command("list")
def list_users():
    """List accounts: e-mail, roles, unit, state."""
    from .auth import services

    for user in services.list_users():
        state = "active" if user.active else "deactivated"
        if user.active and not user.has_password:
            state = "awaiting activation"
        click.echo(f"{user.email}\t{','.join(sorted(user.role_set))}\t{user.unit or '-'}\t{state}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user(email):
    """Deactivate an account and end its sessions."""
    from .auth import services

    user = _user_or_fail(email)
    try:
        services.deactivate_user(user, actor=None)
    except services.PolicyError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Deactivated {user.email}; its sessions are ended.")


@users_cli.command("activation-link")
@click.argument("email")
def activation_link(email):
    """Issue a new activation link (e.g. for a forgotten password); older links stop working."""
    from .auth import services

    user = _user_or_fail(email)
    token = services.issue_activation(user)
    db.session.commit()
    click.echo(_activation_link(token))


@users_cli.command("bootstrap")
@click.option("--email", default="samordnare@example.invalid", show_default=True)
@click.option("--name", default="Samordnaren", show_default=True, help="The name officers see on answers.")
def bootstrap(email, name):
    """Create the first admin+coordinator with a one-time password, if there is no account."""
    from .auth import services

    if services.list_users():
        click.echo("Accounts exist already; no account was created.")
        click.echo("Log in with yours. A forgotten password: flask --app wsgi users activation-link EMAIL")
        return
    user, _token = services.create_user(email, name, ["admin", "coordinator"])
    password = secrets.token_urlsafe(12)
    services.set_one_time_password(user, password)
    db.session.commit()
    click.echo("Created the first account (admin + coordinator).")
    click.echo(f"  e-mail:             {user.email}")
    click.echo(f"  one-time password:  {password}")
    click.echo(f"  log in at:          {absolute_url('auth.login')}")
    click.echo("At the first login you choose a new password, then set up two-factor login with an")
    click.echo("authenticator app (a QR code, and the key as text for apps that cannot scan).")
    click.echo("Change the e-mail later with: flask --app wsgi users set-email OLD NEW")


@users_cli.command("set-email")
@click.argument("old")
@click.argument("new")
def set_email(old, new):
    """Change an account's e-mail (its login name); the holder is told at both addresses."""
    from email_validator import EmailNotValidError, validate_email

    from .auth import services

    try:
        validate_email(new, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"Not a valid e-mail address: {new} ({exc}).") from None
    try:
        user = services.change_email(_user_or_fail(old), new)
    except services.PolicyError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    notifications.send_queued()
    click.echo(f"{old} is now {user.email}.")


@audit_cli.command("verify")
def verify_audit():
    """Check the hash chain of the audit trail, and that it agrees with the latest signed
    checkpoint; exit 1 at the first broken link."""
    from .audit import checkpoints
    from .audit.services import verify_chain

    try:
        checkpoint = checkpoints.latest()
    except checkpoints.CheckpointError as exc:
        click.echo(f"Audit checkpoints NOT TRUSTED: {exc}.", err=True)
        raise SystemExit(1) from None
    report = verify_chain(checkpoint=checkpoint)
    if report.ok:
        click.echo(f"Audit trail intact: {report.checked} events checked.")
        if checkpoint is None:
            click.echo("No signed checkpoint yet: run `flask audit checkpoint` (nightly, see the README).")
        else:
            click.echo(f"It agrees with the signed checkpoint of {checkpoint.at} ({checkpoint.length} events).")
        return
    where = f" at event id {report.broken_at}" if report.broken_at else ""
    click.echo(f"Audit trail BROKEN{where}: {report.reason} "
               f"({report.checked} events before it are intact).", err=True)
    raise SystemExit(1)


@audit_cli.command("checkpoint")
def audit_checkpoint():
    """Sign the chain head and append it to the checkpoints outside the database (after
    checking the chain: a broken chain is not signed; exit 1)."""
    from .audit import checkpoints
    from .audit.services import verify_chain

    try:
        report = verify_chain(checkpoint=checkpoints.latest())
        if not report.ok:
            click.echo(f"Audit trail BROKEN at event id {report.broken_at}: {report.reason}. No checkpoint written.",
                       err=True)
            raise SystemExit(1)
        checkpoint = checkpoints.write()
    except checkpoints.CheckpointError as exc:
        click.echo(f"Audit checkpoints NOT TRUSTED: {exc}. No checkpoint written.", err=True)
        raise SystemExit(1) from None
    click.echo(f"Checkpoint written: {checkpoint.length} events, head {checkpoint.head_hash[:16]}…, "
               f"at {checkpoint.at}, in {checkpoints.folder() / checkpoints.CHECKPOINTS_FILE}.")


@audit_cli.command("review")
@click.option("--from", "start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD.")
def audit_review(start, end):
    """The log review (loggkontroll) of a period: per user, opens of case content, those
    outside office hours, bursts, searches, cases opened without a connection."""
    from .audit import review
    from .bulletin.services import parse_day

    first, last = parse_day(start), parse_day(end)
    if first is None or last is None:
        raise click.UsageError(f"not a date (YYYY-MM-DD): {start if first is None else end}")
    if first > last:
        raise click.UsageError(f"--from {start} is after --to {end}")
    result = review.review(first, last)
    hours = result.office_hours
    click.echo(f"Log review {first} – {last} (office hours: weekdays {hours[0]:02d}–{hours[1]:02d}; "
               f"a burst: {result.burst_reads}+ opens in one ten-minute slot)")
    header = f"{'user':<40} {'opens':>7} {'outside':>8} {'bursts':>7} {'searches':>9} {'unconnected':>12}"
    click.echo(header)
    click.echo("-" * len(header))
    for user in result.users:
        mark = " *" if user.remarks else ""
        click.echo(f"{user.email[:40]:<40} {user.reads:>7} {user.outside_hours:>8} {len(user.bursts):>7} "
                   f"{user.searches:>9} {user.unconnected:>12}{mark}")
    if not result.users:
        click.echo("No opens of case content and no searches in the period.")
    click.echo(f"{len(result.with_remarks)} users marked * have something to look at more closely.")


search_cli = AppGroup("search", help="The blind index behind free-text search.")


@search_cli.command("reindex")
@click.option("--all", "everything", is_flag=True, help="Rebuild every consultation's index, not only missing ones.")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10_000))
def search_reindex(everything, batch_size):
    """Index consultations that have no index rows yet (after an upgrade), or all of them."""
    from .consultations import search_index

    done = search_index.build(everything=everything, batch_size=batch_size)
    click.echo(f"Indexed {done} consultations for search.")


partners_cli = AppGroup("partners", help="The partner register.")


@partners_cli.command("link-referrals")
def partners_link_referrals():
    """Link consultations whose free-text referral names a partner of the register."""
    from .extensions import db
    from .partners import services

    linked = services.link_referrals()
    db.session.commit()
    click.echo(f"Linked {linked} consultations to partners of the register.")


bulletin_cli = AppGroup("bulletin", help="The bulletin section \"Hedersvåld och våldsbejakande extremism\".")


@bulletin_cli.command("export")
@click.option("--from", "start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "html", "docx"]), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file (else standard output).")
def bulletin_export(start, end, fmt, out):
    """The section for a period, drawn from the register as it stands, under disclosure control."""
    from .bulletin import services
    from .bulletin.counting import Period

    first, last = services.parse_day(start), services.parse_day(end)
    if first is None or last is None:
        raise click.UsageError(f"not a date (YYYY-MM-DD): {start if first is None else end}")
    if first > last:
        raise click.UsageError(f"--from {start} is after --to {end}")
    body = services.export_period(Period(first, last), fmt)
    if out:
        with open(out, "wb") as handle:
            handle.write(body)
        click.echo(f"Wrote {out} ({len(body)} bytes).", err=True)
    elif fmt == "docx":
        raise click.UsageError("a .docx cannot go to the terminal: give --out FILE")
    else:
        click.echo(body.decode("utf-8"), nl=False)


@bulletin_cli.command("recount")
@click.option("--check", is_flag=True, help="Only compare the tallies with a recount; exit 1 if they differ.")
def bulletin_recount(check):
    """Recount the bulletin's per-day tallies from the consultations (after a bulk load or a
    change made outside the application)."""
    from .bulletin import tallies
    from .extensions import db

    if check:
        differences = tallies.differences()
        if not differences:
            click.echo("The bulletin's tallies agree with the consultations.")
            return
        for (field, day, code), (kept, recounted) in sorted(differences.items())[:20]:
            click.echo(f"{day} {field} {code or '-'}: kept {kept}, recounted {recounted}", err=True)
        click.echo(f"{len(differences)} tallies differ: run `flask bulletin recount`.", err=True)
        raise SystemExit(1)
    rows = tallies.rebuild()
    db.session.commit()
    click.echo(f"Recounted the bulletin's tallies: {rows} rows.")


retention_cli = AppGroup("retention", help="Retention (gallring) of old case text and inactive accounts.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only say what would be erased and deactivated.")
def retention_run(dry_run):
    """Erase the free text of consultations closed longer than RETENTION_MONTHS ago (the
    structured fields stay) and deactivate accounts unused for ACCOUNT_INACTIVE_DAYS."""
    from flask import current_app

    from .retention import services

    report = services.run(dry_run=dry_run)
    config = current_app.config
    verb = "Would erase" if dry_run else "Erased"
    click.echo(f"{verb} the text of {report.erased} consultations closed more than "
               f"{config['RETENTION_MONTHS']} months ago.")
    verb = "Would deactivate" if dry_run else "Deactivated"
    click.echo(f"{verb} {len(report.deactivated)} accounts without a login for "
               f"{config['ACCOUNT_INACTIVE_DAYS']} days{': ' + ', '.join(report.deactivated) if report.deactivated else ''}.")
    for email, why in report.skipped_accounts:
        click.echo(f"Left {email} active: {why}", err=True)


backup_cli = AppGroup("backup", help="Encrypted backups of the database, taken while the app runs.")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_create(file):
    """A consistent snapshot of the database, encrypted with the backup key (never the keyring)."""
    from . import backups
    from .audit.services import record

    try:
        _key, new_key = backups.ensure_key()
        info = backups.create(file)
    except backups.BackupError as exc:
        click.echo(f"No backup: {exc}.", err=True)
        raise SystemExit(1) from None
    record("backup.create", detail=info.backend)
    db.session.commit()
    if new_key:
        click.echo(f"A new backup key was written to {backups.key_path()}. Keep a copy apart from the backups "
                   "(and apart from the keyring): without it no backup can be restored.", err=True)
    click.echo(f"Backup written: {info.path} ({info.size:,} bytes, {info.backend}, revision {info.revision or '-'}, "
               f"{info.created_at}).")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
def backup_restore(file, force):
    """Restore a backup into the configured database (refused if it holds data, unless --force).
    The keyring the data was written with must be in place to read the case text."""
    from . import backups
    from .audit.services import record

    try:
        meta = backups.restore(file, force=force)
    except backups.BackupError as exc:
        click.echo(f"Nothing restored: {exc}.", err=True)
        raise SystemExit(1) from None
    record("backup.restore", detail=meta.get("backend"))
    db.session.commit()
    click.echo(f"Restored the backup of {meta.get('created_at')} (revision {meta.get('revision') or '-'}). "
               "Run `flask --app wsgi db upgrade` if the application is newer, then `audit verify`.")


def init_app(app):
    app.cli.add_command(search_cli)
    app.cli.add_command(bulletin_cli)
    app.cli.add_command(partners_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(demo_cli)


keys_cli = AppGroup("keys", help="Encryption keys: status, rotation, retirement.")


@keys_cli.command("status")
def keys_status():
    """Per key id and column: how many values; which key is active."""
    from .admin import keys
    from .encryption import holder

    keyring = holder().current()
    source = "COORDINATOR_KEYRING" if holder().from_environment else str(holder().keys_dir)
    click.echo(f"Keyring: {source}")
    usage = keys.key_usage()
    for key_id in keyring.ids():
        marker = " (active)" if key_id == keyring.active_id else ""
        total = sum(n for (_t, _c, k), n in usage.items() if k == key_id)
        click.echo(f"key {key_id}{marker}: {total} values")
        for (table, column, k), n in sorted(usage.items()):
            if k == key_id:
                click.echo(f"    {table}.{column}: {n}")
    unknown = {k for (_t, _c, k) in usage if k not in keyring}
    for key_id in sorted(unknown):
        n = sum(v for (_t, _c, k), v in usage.items() if k == key_id)
        click.echo(f"key {key_id} (NOT IN KEYRING): {n} values cannot be decrypted")


@keys_cli.command("rotate")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100000))
@click.option("--new-key", is_flag=True, help="Add a new active key even if a rotation is unfinished.")
def keys_rotate(batch_size, new_key):
    """Add a new active key and re-encrypt every value under it (rerun to resume)."""
    from .admin import keys

    pending = keys.pending_count()
    if pending and not new_key:
        click.echo(f"Resuming: {pending} values are not under the active key yet.")
    total = sum(keys.key_usage().values()) if (new_key or not pending) else pending
    try:
        with click.progressbar(length=max(total, 1), label="Re-encrypting and re-indexing") as bar:
            result = keys.rotate(batch_size=batch_size, progress=bar.update, new_key=new_key)
    except keys.KeyOperationError as exc:
        raise click.ClickException(str(exc)) from None
    if result.new_key_id:
        click.echo(f"New active key: {result.new_key_id}")
    click.echo(f"Re-encrypted {result.reencrypted} values.")
    click.echo(f"Rebuilt the search index of {result.reindexed} consultations under the new key.")
    if result.unreadable:
        click.echo(f"{len(result.unreadable)} values could not be decrypted and were left as they are.", err=True)
        raise SystemExit(1)


@keys_cli.command("retire")
@click.argument("key_id")
def keys_retire(key_id):
    """Remove a key from the keyring; refused while any value still uses it."""
    from .admin import keys

    try:
        keys.retire(key_id)
    except keys.KeyOperationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Retired {key_id}.")


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--count", default=48, show_default=True, type=click.IntRange(1, 5000),
              help="How many consultations, when there are none yet.")
def demo_load(count):
    """Add anonymised demo data for autumn 2018 to every domain that has none yet."""
    from . import demo

    report = demo.load(count=count)
    db.session.commit()
    for name, created in report.items():
        if created is None:
            click.echo(f"{name}: already there, nothing added.")
        else:
            click.echo(f"{name}: loaded {created} demo records (autumn 2018).")
    click.echo("Officers have no password yet: issue a link with `flask --app wsgi users activation-link EMAIL`.")
