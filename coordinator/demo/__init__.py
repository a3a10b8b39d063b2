"""``flask --app wsgi demo load``: realistic, anonymised demo data for autumn 2018,
the period of the seed bulletin.

One loader per domain, each a module with ``NAME``, ``is_loaded()`` and
``load(context, count)``; records are keyword data written only through the
domain's services. A loader whose domain already holds data is skipped, so the
command can be run again after a new domain arrives and only adds what is
missing. Deterministic (a fixed random seed); every text passes the guard.
"""
import random
from dataclasses import dataclass, field

from . import accounts, consultations, register

LOADERS = (accounts, consultations, register)
SEED = 2018


@dataclass
class Context:
    """What loaders share: the random source and the records made so far."""

    rng: random.Random
    made: dict = field(default_factory=dict)


def load(count=48):
    """Run every loader whose domain is empty; returns {loader name: records created or None if skipped}."""
    context = Context(rng=random.Random(SEED))
    report = {}
    for loader in LOADERS:
        if loader.is_loaded():
            report[loader.NAME] = None
            loader.reuse(context)
        else:
            report[loader.NAME] = loader.load(context, count)
    return report
