"""Benchmark: building the bulletin section on a register of realistic size.

For every backend (SQLite, PostgreSQL) and size (100,000 consultations; 1,000,000 on
PostgreSQL with --million) it generates the register as the page benchmark does
(bench/pages_data.py, kept between runs with --keep: the same data), adds activities in
proportion (one per 40 consultations, dated over the same five years, a third of them with
partners) and initiatives' progress notes, then times ``section.build`` (every SQL count,
disclosure control, the Swedish lines) for the last month, the last year and all time:
the median of five runs, after one warm-up. Target: a year's section under 0.5 s.

    .venv/bin/python bench/bulletin.py                      # 100k on SQLite and PostgreSQL
    .venv/bin/python bench/bulletin.py --backends sqlite --keep
    .venv/bin/python bench/bulletin.py --million --keep     # adds 1M on PostgreSQL

The figures are printed and written into docs/performance.md (section "Bulletin").
"""
import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pages  # noqa: E402  (the page benchmark: targets, data, app)

TARGET_SECONDS = 0.5
RUNS = 5
DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
MARKER = "## Bulletin"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--backends", default="sqlite,postgresql", type=lambda s: s.split(","))
    parser.add_argument("--million", action="store_true", help="also 1,000,000 on PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep and reuse the generated data")
    return parser.parse_args(argv)


def add_activities(size, seed=2018):
    """Activities and progress notes in proportion to the consultations (bulk insert)."""
    from sqlalchemy import func, insert, select

    from coordinator.activities.models import Activity, activity_partners
    from coordinator.auth.models import User
    from coordinator.extensions import db
    from coordinator.initiatives.models import Initiative, ProgressNote
    from coordinator.partners.models import Partner

    if db.session.execute(select(func.count()).select_from(Activity)).scalar_one():
        return
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    today = now.date()
    user_id = db.session.execute(select(User.id).order_by(User.id).limit(1)).scalar_one()
    partners = []
    for n in range(40):
        partner = Partner(kind="authority", area="both", status="active", created_at=now, updated_at=now)
        partner.ensure_uuid()
        partner.set_name(f"Samverkanspart {n}")
        partners.append(partner)
    db.session.add_all(partners)
    initiative = Initiative(kind="project", area="hrv", status="ongoing", created_by_id=user_id)
    initiative.ensure_uuid()
    initiative.title = "Projekt för att utbilda unga förebilder"
    db.session.add(initiative)
    db.session.flush()
    kinds = ["training", "information", "seminar", "network_meeting", "cooperation_meeting"]
    rows, links = [], []
    for n in range(1, size // 40 + 1):
        day = today - timedelta(days=rng.randrange(5 * 365))
        rows.append({"id": n, "uuid": uuid.uuid4(), "kind": rng.choice(kinds), "our_role": "organiser",
                     "starts_on": day, "latest_on": day, "day_fixed": True,
                     "status": "done" if day < today else "planned", "area": rng.choice(["hrv", "vbe", "both"]),
                     "format": "in_person", "participants": rng.randrange(5, 60), "created_by_id": user_id,
                     "created_at": now, "updated_at": now})
        if n % 3 == 0:
            links.append({"activity_id": n, "partner_id": rng.choice(partners).id})
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Activity.__table__), rows[start:start + 5000])
    if links:
        db.session.execute(insert(activity_partners), links)
    for _n in range(size // 1000):
        note = ProgressNote(initiative_id=initiative.id, noted_on=today - timedelta(days=rng.randrange(5 * 365)),
                            created_by_id=user_id)
        note.ensure_uuid()
        note.bulletin_line = "Arbetet fortskrider inom arbetsgruppen."
        db.session.add(note)
    db.session.commit()


def time_sections(today):
    from coordinator.bulletin import section
    from coordinator.bulletin.counting import Period

    periods = {
        "month": Period(today - timedelta(days=30), today),
        "year": Period(today - timedelta(days=364), today),
        "all time": Period(date(2000, 1, 1), today),
    }
    figures = {}
    for name, period in periods.items():
        section.build(period)  # warm-up
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            section.build(period)
            times.append(time.perf_counter() - started)
        figures[name] = statistics.median(times)
    return figures


SAVES = 20


def time_saves(today):
    """Median ms to log one consultation (service call and flush, rolled back so the kept
    register stays as generated), with the bulletin's tallies kept in step and without
    (their listeners removed for the second run): what the tallies add to every save."""
    from sqlalchemy import event, select
    from sqlalchemy.orm import Session

    from coordinator.auth.models import User, UserRole
    from coordinator.bulletin import tallies
    from coordinator.consultations import services
    from coordinator.extensions import db

    coordinator = db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == "coordinator").limit(1)
    ).scalar_one()
    data = services.CaseInput(sector="upper_secondary", area="hrv", person_count="2-3", genders=["girl_woman"],
                              age_bands=["13-17"], hrv_forms=["control", "psychological"], urgency="not_acute",
                              situation="Eleven berättar om hårda regler hemma.", received_on=today,
                              channel="phone", status="ongoing", advice_given=["report_recommended"])

    def median_ms():
        times = []
        for _ in range(SAVES + 1):
            started = time.perf_counter()
            services.log_consultation(coordinator, data)
            db.session.flush()
            times.append(time.perf_counter() - started)
            db.session.rollback()
        return statistics.median(times[1:]) * 1000

    kept = median_ms()
    listeners = [("before_flush", tallies._before_flush), ("after_flush", tallies._after_flush)]
    for name, listener in listeners:
        event.remove(Session, name, listener)
    try:
        bare = median_ms()
    finally:
        for name, listener in listeners:
            event.listen(Session, name, listener)
    return {"save with tallies": kept, "save without": bare}


def run(target, keep):
    import pages_data

    from coordinator.database import local_today
    from coordinator.extensions import db

    if target.size >= 1_000_000:
        # The section never reads the search index; at a million consultations it would be
        # ~180 million rows (tens of GB), so this register is generated without it.
        pages_data.find_search_index = lambda: None
    pages.prepare_data(target, keep)
    app = pages.make_app(target)
    with app.test_request_context():
        add_activities(target.size)
        figures = time_sections(local_today())
        figures.update(time_saves(local_today()))
        db.engine.dispose()
    return figures


def report(results):
    lines = [MARKER, "", f"`bench/bulletin.py`: building the section (`section.build`: every SQL count, disclosure "
             f"control, the Swedish lines), median of {RUNS} runs after a warm-up, on {datetime.now():%Y-%m-%d}. "
             f"Target: a year's section under {TARGET_SECONDS} s.", "",
             "| register | last month | last year | all time | year within target | a save: with tallies / without |",
             "| --- | --- | --- | --- | --- | --- |"]
    for title, figures in results:
        ok = "✓" if figures["year"] < TARGET_SECONDS else "✗"
        lines.append(f"| {title} | {figures['month']:.3f} s | {figures['year']:.3f} s | {figures['all time']:.3f} s "
                     f"| {ok} | {figures['save with tallies']:.1f} / {figures['save without']:.1f} ms |")
    lines += ["", EXPLANATION]
    return "\n".join(lines) + "\n"


EXPLANATION = """\
The consultations' figures are sums of per-day tallies (`coordinator/bulletin/tallies.py`,
table `consultation_tallies`: for every day, field and code, how many consultations count
there), kept in step in the transaction of every save: before a flush the tallies of the
consultations being changed are read from the database, after it again, and the difference is
added with one upsert per row. A period's section therefore sums a few thousand tally rows
(about 80 a day) whatever the size of the register, instead of counting the period's
consultations and code rows (a year at a million: some 400,000 consultations and 1.2 million
code rows, 0.94 s before the tallies). The last column is what that upkeep costs a save: the
median time to log one consultation (service call and flush, 20 runs, rolled back) with the
tallies kept and with their listeners removed. `flask bulletin recount` recounts them after a
bulk load (the benchmark's data is loaded in bulk, then recounted); `--check` compares."""


def write_doc(text):
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if MARKER in current:
        before, _, rest = current.partition(MARKER)
        after = rest.split("\n## ", 1)
        current = before + text + (("\n## " + after[1]) if len(after) > 1 else "")
    else:
        current = current.rstrip() + "\n\n" + text
    DOC.write_text(current, encoding="utf-8")


def main(argv=None):
    args = parse_args(argv)
    results = []
    for backend in args.backends:
        if backend == "postgresql" and pages.postgres_problem():
            print(f"PostgreSQL skipped: {pages.postgres_problem()}")
            continue
        sizes = list(args.sizes) + ([1_000_000] if args.million and backend == "postgresql" else [])
        for size in sizes:
            target = pages.Target(backend, size)
            print(f"{target.title}:")
            figures = run(target, args.keep)
            print("  " + ", ".join(f"{name} {value:.3f}" for name, value in figures.items()))
            results.append((target.title, figures))
    text = report(results)
    print(text)
    write_doc(text)


if __name__ == "__main__":
    main()
