"""Benchmark: how the application bears faults — load, a killed server, a killed key
rotation, a full disk — and how long it takes to recover.

Four parts, each on a register of its own, on SQLite and on PostgreSQL (the full disk on
SQLite only: PostgreSQL's data directory is the database server's disk, not the instance
folder):

1. ``load``: gunicorn with 4 workers (``--preload``, as the README's Deployment starts it);
   20 clients logged in as the coordinator write for 30 seconds: consultations
   (/consultations/new), messages in 8 officers' threads and activities (/activities/new),
   each following its redirect as a browser does. Afterwards: is every write acknowledged
   by its 302 in the database, with its content and audit event? Any 5xx? Does
   ``flask --app wsgi audit verify`` pass? (and SQLite's ``PRAGMA integrity_check``).
2. ``kill``: the same load, and every 8 seconds the master and all workers get SIGKILL at
   once, and gunicorn is started again at once on the same port (as a supervisor with
   Restart=always would); three times. The SQLite file is checked right after each crash;
   at the end the same checks as in 1. The time to recover: from the restart to the first
   /healthz answer (which waits behind the 20 clients' requests), and from the kill to the
   first acknowledged write after it (mostly gunicorn's start with --preload).
3. ``rotate``: a register of 2,000 consultations (bench/pages_data.py: encrypted texts,
   threads, search index) served by gunicorn throughout; ``flask --app wsgi keys rotate
   --batch-size 20`` is killed (SIGKILL) a third of the way through re-encrypting, rerun
   and killed again half-way through rebuilding the search index, then rerun to its end.
   After each step: do five searches show what they showed before, do consultations open?
   At the end: ``keys status`` (every value under the new key?), every value decrypted, the
   audit chain.
4. ``disk`` (SQLite): the instance folder on a 24 MB tmpfs, filled while the server runs
   (or, where this machine cannot mount, the database held at its size with
   ``PRAGMA max_page_count``; the report says which). Writes until the first refusal: its
   status and page (Swedish? a stack trace?), nothing half-written; the pages that write
   nothing, for a session just used and for one last used 31 seconds before (its next
   request updates "last seen"); then the space freed and a write again.

Run from the repository root:

    .venv/bin/python bench/faults.py                                   # every part, both backends
    .venv/bin/python bench/faults.py --backends sqlite --parts load,kill --duration 10
    .venv/bin/python bench/faults.py --parts rotate --rotation-size 10000 --batch-size 50

It takes about 15 minutes on a busy 2-CPU machine, and prints, per part and backend: writes acknowledged (per kind), per second, responses by
status, 5xx, forms refused, connection errors
(while a server was down), acknowledged writes missing afterwards, half-written records,
``audit verify`` and ``integrity_check``; for kills the seconds to recover; for the
rotation where each run was killed, how long each took and whether the searches and
consultations held; for the full disk what the user saw. A line marked ✗ is a fault the
application should not have. The data lives in /tmp/coordinator-bench-faults/ and is
dropped afterwards (PostgreSQL: schemas ``faults_bench_*`` in the test database,
postgresql://postgres@127.0.0.1:5432/test or COORDINATOR_TEST_POSTGRES_URL; skipped with a
message when it is not reachable); ``--keep`` keeps it (and the gunicorn logs) to look at.

The machinery is shared with the reduced version in the test suite (tests/faults/, which
asserts the behaviour and never the timing): tests/faults/harness.py.
"""
import argparse
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.harness import (  # noqa: E402  (after the path)
    CONSULTATION_FORM,
    COORDINATOR,
    KINDS,
    SEARCHES,
    UNREADABLE,
    FullDisk,
    Register,
    Server,
    WriteLoad,
    active_key,
    check_writes,
    error_page_problems,
    expected_hits,
    generate,
    keys_status,
    logged_in,
    pages,
    rotate_and_kill,
    search,
    situation_text,
    unreadable_values,
    visible_text,
)

WORK_ROOT = Path("/tmp/coordinator-bench-faults")
PARTS = ("load", "kill", "rotate", "disk")
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
READ_PAGES = ("/home/coordinator", "/consultations/", "/activities/")
MISS = " ✗"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite, postgresql (comma list)")
    parser.add_argument("--parts", default=",".join(PARTS), help="load, kill, rotate, disk (comma list)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of the load (default 30)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=8, help="officers' threads the messages go to (default 8)")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs in the kill part (default 3)")
    parser.add_argument("--kill-every", type=float, default=8, help="seconds of writes before each kill (default 8)")
    parser.add_argument("--rotation-size", type=int, default=2000, help="consultations to rotate (default 2,000)")
    parser.add_argument("--batch-size", type=int, default=20, help="keys rotate --batch-size (default 20)")
    parser.add_argument("--idle-wait", type=float, default=31,
                        help="seconds the idle session waits on the full disk (default 31: past the 30 s touch)")
    parser.add_argument("--keep", action="store_true", help="keep the registers and logs")
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if set(args.backends) - set(BACKEND_NAMES):
        parser.error(f"unknown backends: {', '.join(sorted(set(args.backends) - set(BACKEND_NAMES)))}")
    if set(args.parts) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(set(args.parts) - set(PARTS)))}")
    return args


# Printing ---------------------------------------------------------------------------------

def line(label, value, ok=True):
    print(f"  {label:<52} {value}{'' if ok else MISS}")


def seconds(value):
    return "–" if value is None else f"{value:.2f} s"


def tally_lines(tally, load_seconds, server_log, register):
    """The figures of one load: acknowledged, per second, statuses, errors, then the checks."""
    acked = tally.count()
    plural = {"consultation": "consultations", "message": "messages", "activity": "activities"}
    line("writes acknowledged (302)", f"{acked:,} ({', '.join(f'{tally.count(k):,} {plural[k]}' for k in KINDS)})",
         acked > 0)
    line("acknowledged writes per second", f"{acked / load_seconds:.1f} (over {load_seconds:.1f} s)")
    statuses = Counter()
    for (method, status), n in tally.statuses.items():
        statuses[f"{method} {status}"] += n
    line("responses", ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items())))
    errors = tally.server_errors
    line("5xx", f"{len(errors)}" + (f" e.g. {errors[0][0]} {errors[0][1]}: {errors[0][2][:80]}" if errors else ""),
         not errors)
    line("forms refused (shown again)", f"{len(tally.refused)}", not tally.refused)
    line("connection errors (a server down)", f"{len(tally.connection_errors):,}")
    line("the clients' own errors", f"{len(tally.client_errors)}" + (f" e.g. {tally.client_errors[0]}"
                                                                   if tally.client_errors else ""),
         not tally.client_errors)
    missing, half_written = check_writes(register, tally)
    line("acknowledged writes missing from the database", f"{len(missing)}", not missing)
    half = sum(len(v) for v in half_written.values())
    line("half-written (no audit event, or events ≠ messages)", f"{half}", not half)
    code, output = register.audit_verify()
    line("flask audit verify", f"exit {code}: {output.splitlines()[0] if output else ''}", code == 0)
    if register.backend == "sqlite":
        check = register.integrity_check()
        line("PRAGMA integrity_check", check, check == "ok")


def log_error_lines(server):
    errors = server.errors()
    line("error lines in gunicorn's log", f"{errors['count']}", errors["count"] == 0)
    for sample in errors["samples"][:3]:
        print(f"      {sample[:150]}")


# 1. Load ----------------------------------------------------------------------------------

def bench_load(backend, args):
    register = Register(backend, WORK_ROOT / f"load-{backend}", name="bench_load")
    try:
        register.create(requests=args.threads)
        with Server(register, workers=args.workers, name="load") as server:
            load = WriteLoad(server.base, register.request_uuids, clients=args.clients, label=1)
            tally = load.run_for(args.duration)
            log = server.log_since(0)
        print(f"\n== {BACKEND_NAMES[backend]}: {args.clients} clients writing for {args.duration:.0f} s, "
              f"gunicorn --workers {args.workers}")
        tally_lines(tally, load.seconds, log, register)
        log_error_lines(server)
    finally:
        if not args.keep:
            register.drop()


# 2. SIGKILL -------------------------------------------------------------------------------

def bench_kill(backend, args):
    register = Register(backend, WORK_ROOT / f"kill-{backend}", name="bench_kill")
    try:
        register.create(requests=args.threads)
        server = Server(register, workers=args.workers, name="kill").start()
        recoveries = []
        try:
            load = WriteLoad(server.base, register.request_uuids, clients=args.clients, label=2).start()
            try:
                for _ in range(args.kills):
                    time.sleep(args.kill_every)
                    acked_before = len(load.acked())
                    killed_at = time.monotonic()
                    server.kill()
                    checked = time.monotonic()
                    integrity = register.integrity_check()
                    check_seconds = time.monotonic() - checked
                    restarted_at = time.monotonic()
                    server.start()
                    healthy_at = time.monotonic()
                    load.wait_for_acks(1, since=healthy_at)
                    after = [at for at in load.acked() if at > killed_at]
                    recoveries.append({
                        "acked_before": acked_before, "integrity": integrity, "check": check_seconds,
                        "restart": healthy_at - restarted_at,
                        "first_write": (min(after) - killed_at) if after else None,
                    })
                time.sleep(args.kill_every)
            finally:
                tally = load.stop()
            log = server.log_since(0)
        finally:
            server.stop()
        print(f"\n== {BACKEND_NAMES[backend]}: SIGKILL to gunicorn (master and {args.workers} workers) every "
              f"{args.kill_every:.0f} s of writes, {args.kills} times, restarted at once")
        for n, r in enumerate(recoveries, 1):
            integrity = f", integrity_check right after: {r['integrity']}" if r["integrity"] is not None else ""
            line(f"kill {n} (after {r['acked_before']:,} acknowledged)",
                 f"restart to /healthz {seconds(r['restart'])}, kill to first acknowledged write "
                 f"{seconds(r['first_write'])}{integrity}", r["integrity"] in (None, "ok") and r["first_write"])
        if recoveries:
            restart = [r["restart"] for r in recoveries]
            first = [r["first_write"] for r in recoveries if r["first_write"] is not None]
            line("time to recover, mean (restart to /healthz)", seconds(sum(restart) / len(restart)))
            line("time to recover, mean (kill to first acknowledged write)",
                 seconds(sum(first) / len(first)) if first else "–", bool(first))
        tally_lines(tally, load.seconds, log, register)
        log_error_lines(server)
    finally:
        if not args.keep:
            register.drop()


# 3. keys rotate killed ---------------------------------------------------------------------

def searches_hold(client, expected):
    """(searches that show what they showed before, consultations opened readable, opened)."""
    same = sum(1 for query, hits in expected.items() if search(client, query) == hits)
    sample = sorted({uuid for hits in expected.values() for uuid in hits[:4]})
    readable = 0
    for uuid in sample:
        response = client.get(f"/consultations/{uuid}")
        readable += response.status == 200 and UNREADABLE not in visible_text(response.text)
    return same, readable, len(sample)


def hold_line(label, held, expected):
    same, readable, opened = held
    line(label, f"searches as before {same}/{len(expected)}, consultations open {readable}/{opened}",
         same == len(expected) and readable == opened)


def bench_rotate(backend, args):
    from bench import pages_data

    register = Register(backend, WORK_ROOT / f"rotate-{backend}", name="bench_rotate")
    batch = args.batch_size
    try:
        register.prepare()
        started = time.monotonic()
        generate(register, args.rotation_size)
        generated = time.monotonic() - started
        with Server(register, workers=2, name="rotate") as server:
            client = logged_in(server.base, pages_data.COORDINATOR_EMAIL, pages_data.PASSWORD)
            expected = expected_hits(register, SEARCHES)
            before = {query: search(client, query) for query in SEARCHES}
            old_key = active_key(register)
            total, _unreadable = unreadable_values(register)
            print(f"\n== {BACKEND_NAMES[backend]}: keys rotate --batch-size {batch} killed twice, on "
                  f"{args.rotation_size:,} consultations ({total:,} encrypted values, generated in {generated:.0f} s)")
            line("searches before (hits: " + ", ".join(f"{q!r} {len(h)}" for q, h in expected.items()) + ")",
                 "as expected" if before == expected else "NOT as expected", before == expected)

            started = time.monotonic()
            killed, state, _log = rotate_and_kill(
                register, lambda key, s: key != old_key and s[0] // 3 <= s[1] < s[0], batch_size=batch)
            line("run 1: killed while re-encrypting" if killed else "run 1: NOT killed (ended first)",
                 f"after {seconds(time.monotonic() - started)}, {state[1]:,} of {state[0]:,} consultation "
                 f"values under the new key", killed)
            hold_line("  then", searches_hold(client, expected), expected)

            started = time.monotonic()
            killed, state, log = rotate_and_kill(
                register, lambda key, s: s[1] == s[0] and s[2] // 2 <= s[3] < s[2], batch_size=batch)
            line("run 2: resumed, killed while rebuilding the index" if killed else "run 2: NOT killed",
                 f"after {seconds(time.monotonic() - started)}, {state[3]:,} of {state[2]:,} consultations "
                 f"indexed under the new key" + ("" if "Resuming" in log else " (did not say Resuming)"), killed)
            hold_line("  then", searches_hold(client, expected), expected)

            started = time.monotonic()
            done = register.flask("keys", "rotate", "--batch-size", str(batch))
            finished = time.monotonic() - started
            line("run 3: resumed to the end", f"exit {done.returncode} in {seconds(finished)}"
                 + (", added a key" if "New active key" in done.stdout else ""),
                 done.returncode == 0 and "New active key" not in done.stdout)
            hold_line("  then", searches_hold(client, expected), expected)

            counts, active, missing = keys_status(register)
            on_new = counts.get(active, 0)
            line("keys status", ", ".join(f"{k}{' (active)' if k == active else ''}: {n:,}" for k, n in counts.items())
                 + (f"; {len(missing)} NOT IN KEYRING" if missing else ""),
                 on_new == total and not missing and all(n == 0 for k, n in counts.items() if k != active))
            values, unreadable = unreadable_values(register)
            line("every encrypted value decrypted", f"{values - len(unreadable):,} of {values:,}", not unreadable)
            code, output = register.audit_verify()
            line("flask audit verify", f"exit {code}", code == 0)
            if backend == "sqlite":
                check = register.integrity_check()
                line("PRAGMA integrity_check", check, check == "ok")
            log_error_lines(server)
    finally:
        if not args.keep:
            register.drop()


# 4. The disk full ---------------------------------------------------------------------------

def page_heading(page_html):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
    return re.sub(r"\s+", " ", visible_text(match.group(1))).strip() if match else "(no heading)"


def stored(register):
    return tuple(register.query(
        "SELECT (SELECT count(*) FROM consultations),"
        " (SELECT count(*) FROM audit_events WHERE action IN ('consultation.create', 'consultation.request'))")[0])


def write(client, n):
    return client.post_form("/consultations/new", dict(CONSULTATION_FORM, situation=situation_text(8, 1, n)))


def bench_disk(args):
    disk = FullDisk(WORK_ROOT / "disk")
    register = disk.register
    try:
        register.create(requests=2, clean=False)
        with disk.server(workers=args.workers, name="disk") as server:
            idle = logged_in(server.base, COORDINATOR)
            idle_since = time.monotonic()
            writer, reader = logged_in(server.base, COORDINATOR), logged_in(server.base, COORDINATOR)
            writer.token("/consultations/new")
            consultations, events = stored(register)
            filled = disk.fill()
            acked, response = 0, None
            for n in range(1, 201):
                response = write(writer, n)
                if response.status != 302:
                    break
                writer.get(response.location)
                acked += 1
            fresh = {path: reader.get(path).status for path in READ_PAGES}
            detail = reader.get(f"/consultations/{register.request_uuids[0]}").status
            time.sleep(max(0.0, args.idle_wait - (time.monotonic() - idle_since)))
            idle_statuses = {path: idle.get(path).status for path in READ_PAGES}
            after_full = stored(register)
            disk.free()
            freed = time.monotonic()
            again = write(writer, 1000)
            again_seconds = time.monotonic() - freed

        how = (f"tmpfs of 24 MB on the instance folder, filled ({filled / 2**20:.1f} MiB of filler)"
               if disk.method == "tmpfs" else
               f"no mount here ({disk.why_not_mounted}): the database held at its size (PRAGMA max_page_count)")
        print(f"\n== SQLite: the disk full ({how})")
        problems = error_page_problems(response)
        line("writes acknowledged after the fill, before the first refusal", f"{acked}")
        line("the refused write", f"status {response.status}, “{page_heading(response.text)}”"
             + (f" — {'; '.join(problems)}" if problems else " (Swedish, says nothing was saved, no stack trace)"),
             not problems)
        line("stored afterwards: consultations / their creation events",
             f"{after_full[0]} / {after_full[1]} (before {consultations} / {events}, +{acked} acknowledged)",
             after_full == (consultations + acked, events + acked))
        line("pages that write nothing, session just used", ", ".join(f"{p} {s}" for p, s in fresh.items()),
             set(fresh.values()) == {200})
        line("a consultation's page (its read is audited)", f"{detail}"
             + (" (refused: the read cannot be audited)" if detail >= 500 else ""))
        line(f"the same pages, session last used {args.idle_wait:.0f} s before",
             ", ".join(f"{p} {s}" for p, s in idle_statuses.items()), set(idle_statuses.values()) == {200})
        line("space freed: the next write", f"status {again.status} after {seconds(again_seconds)}",
             again.status == 302)
        check = register.integrity_check()
        line("PRAGMA integrity_check", check, check == "ok")
        code, output = register.audit_verify()
        line("flask audit verify", f"exit {code}", code == 0)
        log_error_lines(server)
        print("  (PostgreSQL: not measured; its data directory is the database server's disk)")
    finally:
        if args.keep:
            disk.unmount()  # a tmpfs is not left mounted: its database goes, the logs stay
        else:
            disk.close()


# Main ---------------------------------------------------------------------------------------

def main(argv=None):
    args = parse_args(argv)
    pages.stop_on_sigterm()
    backends = list(args.backends)
    if "postgresql" in backends:
        problem = pages.postgres_problem()
        if problem:
            print(f"PostgreSQL skipped: not reachable ({problem})")
            backends.remove("postgresql")
    WORK_ROOT.mkdir(parents=True, exist_ok=True)
    failed = []
    for part in args.parts:
        for backend in (["sqlite"] if part == "disk" and "sqlite" in backends else
                        [] if part == "disk" else backends):
            try:
                if part == "load":
                    bench_load(backend, args)
                elif part == "kill":
                    bench_kill(backend, args)
                elif part == "rotate":
                    bench_rotate(backend, args)
                else:
                    bench_disk(args)
            except Exception:
                traceback.print_exc()
                failed.append(f"{part} on {backend}")
    if failed:
        print("\nfailed: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
