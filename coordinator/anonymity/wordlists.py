"""Word lists of the guard, read from the text files in ``data/``.

Every list is a plain text file, one entry a line, ``#`` starting a comment.
They are read once, when the module that needs them is imported; nothing is
read per call.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

#: The folder of the guard's data files (word lists, allowed terms, names).
DATA_DIR = Path(__file__).with_name("data")
WORDS_DIR = DATA_DIR / "words"


def read_list(path: Path) -> list[str]:
    """The entries of a list file: comments and blank lines dropped."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                items.append(line)
    return items


@cache
def words(name: str) -> frozenset[str]:
    """The word list ``data/words/<name>.txt`` as a set of lower-case words."""
    return frozenset(w.lower() for w in read_list(WORDS_DIR / f"{name}.txt"))


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of ``data/words/<name>.txt`` in file order, as written."""
    return tuple(read_list(WORDS_DIR / f"{name}.txt"))
