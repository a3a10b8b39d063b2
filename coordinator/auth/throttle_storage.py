"""Rate-limit counters in the application's own database: ``RATELIMIT_STORAGE_URI =
"database://"`` (the default).

Flask-Limiter's memory storage lives in one worker process, so with several
workers the documented limits would let several times as many attempts through.
Counters in the database hold exactly across every worker and every server on
that database; Redis (``redis://``) does the same without touching the database.

Each counter is one row keyed by a SHA-256 of the limit's key (the key holds an
e-mail address and an IP address, which need not be readable here). An increment
is one atomic upsert on its own connection and transaction, so it counts even when
the request that made it is rolled back, and two workers never lose an increment.
"""
import hashlib
import random
import time

from limits.storage import Storage
from sqlalchemy import Float, Integer, String, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ThrottleCounter(db.Model):
    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    expires_at: Mapped[float] = mapped_column(Float, nullable=False, index=True)


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    STORAGE_SCHEME = ["database"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @staticmethod
    def _engine():
        return db.engine  # the current application's: one storage object serves every app

    def incr(self, key, expiry, amount=1):
        now = time.time()
        table = ThrottleCounter.__table__
        dialect = sqlite if self._engine().dialect.name == "sqlite" else postgresql
        insert = dialect.insert(table).values(key=_digest(key), count=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        upsert = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": _case(expired, amount, table.c.count + amount),
                "expires_at": _case(expired, now + expiry, table.c.expires_at),
            },
        ).returning(table.c.count)
        with self._engine().begin() as connection:
            count = connection.execute(upsert).scalar_one()
            if random.random() < 0.01:  # now and then, forget counters long expired
                connection.execute(delete(table).where(table.c.expires_at < now - 86_400))
        return count

    def _row(self, key):
        table = ThrottleCounter.__table__
        with self._engine().connect() as connection:
            return connection.execute(
                select(table.c.count, table.c.expires_at).where(table.c.key == _digest(key))
            ).first()

    def get(self, key):
        row = self._row(key)
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key):
        row = self._row(key)
        return row.expires_at if row is not None and row.expires_at > time.time() else time.time()

    def check(self):
        try:
            with self._engine().connect() as connection:
                connection.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self):
        with self._engine().begin() as connection:
            return connection.execute(delete(ThrottleCounter.__table__)).rowcount

    def clear(self, key):
        with self._engine().begin() as connection:
            connection.execute(delete(ThrottleCounter.__table__).where(ThrottleCounter.__table__.c.key == _digest(key)))


def _case(condition, when_true, otherwise):
    return case((condition, when_true), else_=otherwise)
