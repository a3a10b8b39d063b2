"""Benchmark: the cost of field encryption.

Prints the cost of encrypting and decrypting one field (µs, median of many),
and of decrypting the free text of a 50-row page next to the cost of rendering
that page without it, as a ratio. Run from the repository root:

    .venv/bin/python bench/crypto.py
"""
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coordinator import create_app, crypto  # noqa: E402
from coordinator.consultations import services  # noqa: E402
from coordinator.extensions import db  # noqa: E402

SITUATION = (
    "Skolkuratorn hör av sig om en elev, 16 år, som berättar att familjen planerar en resa "
    "till föräldrarnas hemland i sommar och att hon är orolig för att bli bortgift. "
) * 3
ADVICE = "Gör en orosanmälan i dag och kontakta socialtjänsten innan vårdnadshavarna informeras. " * 2


def median_us(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def main():
    workdir = Path(tempfile.mkdtemp(prefix="coordinator-bench-"))
    crypto.add_key(workdir / "keys")
    os.environ["COORDINATOR_INSTANCE_PATH"] = str(workdir)
    app = create_app({
        "ENVIRONMENT": "development", "SECRET_KEY": "bench-" + "x" * 40,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "KEYS_DIR": str(workdir / "keys"),
        "CONSULTATIONS_PER_PAGE": 50, "PASSWORD_HASH_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
    })
    with app.app_context():
        db.create_all()
        from coordinator.auth import services as accounts

        user, _ = accounts.create_user("bench@example.invalid", "Bench", ["coordinator"])
        for i in range(50):
            services.log_consultation(user, services.CaseInput(
                sector="upper_secondary", area="hrv", situation=SITUATION, advice=ADVICE,
                received_on=date(2018, 9, 1) + timedelta(days=i), channel="phone", status="new"))
        db.session.commit()
        keyring = app.extensions["keyring"].keyring
        token = keyring.encrypt(SITUATION, table="consultations", column="situation", record_id="x")
        enc_us = median_us(lambda: keyring.encrypt(SITUATION, table="consultations", column="situation",
                                                    record_id="x"), 20000)
        dec_us = median_us(lambda: keyring.decrypt(token, table="consultations", column="situation",
                                                    record_id="x"), 20000)

        def decrypt_page():
            db.session.expire_all()
            rows = db.session.execute(services.list_query({}).limit(50)).scalars().all()
            for c in rows:
                c.situation, c.advice  # noqa: B018  (decrypt both fields)

        def load_page_only():
            db.session.expire_all()
            db.session.execute(services.list_query({}).limit(50)).scalars().all()

        page_decrypt_us = median_us(decrypt_page, 300) - median_us(load_page_only, 300)

    # Render the 50-row list page (structured fields only, nothing decrypted) as a logged-in user.
    client = app.test_client()
    with client.session_transaction() as session, app.app_context():
        from coordinator.auth.models import User

        user = db.session.execute(db.select(User)).scalar_one()
        session["sid"] = accounts.start_session(user)
        session["_user_id"] = str(user.uuid)
        db.session.commit()
    assert client.get("/consultations/").status_code == 200
    render_us = median_us(lambda: client.get("/consultations/"), 200)

    print(f"field size: {len(SITUATION)} characters (situation), {len(ADVICE)} (advice)")
    print(f"encrypt one field:              {enc_us:8.1f} µs (median of 20,000)")
    print(f"decrypt one field:              {dec_us:8.1f} µs (median of 20,000)")
    print(f"decrypt free text, 50-row page: {page_decrypt_us:8.1f} µs (100 fields; median of 300)")
    print(f"render the 50-row page without: {render_us:8.1f} µs (median of 200 requests)")
    print(f"ratio decrypt / render:         {page_decrypt_us / render_us:8.3f}")


if __name__ == "__main__":
    main()
