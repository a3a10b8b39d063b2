"""Key management over the stored data: status, rotation, retirement.

Rotation re-encrypts, in batches committed one by one, every value that is not
under the active key. Each row is updated only if it still holds the token that
was read (so a concurrent edit is never overwritten), and a rerun simply picks
up the values still under an old key: an interrupted rotation is finished by
running it again, and nothing ever becomes unreadable.
"""
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from .. import crypto
from ..consultations import search_index
from ..encryption import REGISTRY, decrypt, holder
from ..extensions import db
from ..records import DomainError


class KeyOperationError(DomainError):
    """A refused key operation; the message is for the operator."""


def _fields():
    return sorted(REGISTRY, key=lambda f: (f.table, f.column))


def key_usage():
    """Counter of (table, column, key id) -> number of stored values."""
    usage = Counter()
    for f in _fields():
        column = getattr(f.owner, f.storage)
        for (token,) in db.session.execute(select(column).where(column.is_not(None))).yield_per(2000):
            try:
                key_id = crypto.Keyring.key_id_of(token)
            except crypto.DecryptionError:
                key_id = "(malformed)"
            usage[(f.table, f.column, key_id)] += 1
    return usage


def values_using(key_id):
    return sum(n for (_t, _c, k), n in key_usage().items() if k == key_id)


@dataclass
class RotationResult:
    new_key_id: str = None
    reencrypted: int = 0
    reindexed: int = 0  # consultations whose search index was rebuilt under the new key
    unreadable: list = field(default_factory=list)  # (table, column, record uuid)


def rotate(batch_size=500, progress=None, after_batch=None, new_key=False):
    """Make a new active key if every value is under the current one (or if
    ``new_key``: always, e.g. after a suspected exposure, or when a damaged value
    keeps an old key in use), then re-encrypt every value not under the active key.

    ``progress(n)`` is called with the number of values done per batch;
    ``after_batch()`` after each commit (tests inject a failure there).
    """
    keys = holder()
    result = RotationResult()
    if new_key or pending_count() == 0:
        if keys.from_environment:
            raise KeyOperationError(
                "The keyring comes from COORDINATOR_KEYRING: add the new key there, make it "
                "active, restart, then run `keys rotate` to re-encrypt."
            )
        result.new_key_id = crypto.add_key(keys.keys_dir)
        keys.reload()
    active = keys.current().active_id
    for f in _fields():
        _rotate_field(f, active, batch_size, result, progress, after_batch)
    # The blind index follows: its key is derived from the active key.
    result.reindexed = search_index.rekey(active, batch_size=max(1, batch_size // 5), progress=progress)
    return result


def _pending_query(f, active, after_id=0):
    model = f.owner
    column = getattr(model, f.storage)
    return (
        select(model.id, model.uuid, column)
        .where(column.is_not(None), ~column.startswith(f"enc{crypto.FORMAT_VERSION}:{active}:"), model.id > after_id)
        .order_by(model.id)
    )


def pending_count():
    """Values not yet under the active key, and consultations whose search index is not."""
    active = holder().current().active_id
    return sum(
        db.session.execute(select(func.count()).select_from(_pending_query(f, active).subquery())).scalar_one()
        for f in _fields()
    ) + search_index.stale_count(active)


def _rotate_field(f, active, batch_size, result, progress, after_batch):
    model = f.owner
    column = getattr(model, f.storage)
    last_id = 0
    while True:
        rows = db.session.execute(_pending_query(f, active, last_id).limit(batch_size)).all()
        if not rows:
            return
        for row_id, record_uuid, token in rows:
            try:
                plaintext = decrypt(token, table=f.table, column=f.column, record_id=record_uuid)
            except crypto.DecryptionError:
                result.unreadable.append((f.table, f.column, record_uuid))
                continue
            new_token = holder().current().encrypt(
                plaintext, table=f.table, column=f.column, record_id=str(record_uuid)
            )
            values = {column: new_token}
            if hasattr(model, "updated_at"):
                values[model.updated_at] = model.updated_at  # re-encryption is not an edit
            changed = db.session.execute(
                update(model).where(model.id == row_id, column == token).values(values)
            ).rowcount
            result.reencrypted += changed
        db.session.commit()
        last_id = rows[-1][0]
        if progress:
            progress(len(rows))
        if after_batch:
            after_batch()


def retire(key_id):
    """Remove ``key_id`` from the keyring; refused while any value still uses it."""
    keys = holder()
    if key_id not in keys.current():
        raise KeyOperationError(f"No key {key_id!r} in the keyring.")
    if key_id == keys.current().active_id:
        raise KeyOperationError(f"{key_id} is the active key; rotate first.")
    in_use = values_using(key_id)
    if in_use:
        raise KeyOperationError(f"{in_use} values still use {key_id}; run `keys rotate` first.")
    if search_index.rows_using(key_id):
        raise KeyOperationError(f"The search index still uses {key_id}; run `keys rotate` first.")
    if keys.from_environment:
        raise KeyOperationError(f"No value uses {key_id}: remove it from COORDINATOR_KEYRING and restart.")
    crypto.remove_key(keys.keys_dir, key_id)
    keys.reload()
