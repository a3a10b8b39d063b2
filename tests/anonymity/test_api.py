"""The public API of coordinator.anonymity: types, labels, offsets, overlaps,
purity and thread safety."""

import ast
import dataclasses
import threading
from pathlib import Path

import pytest

import coordinator.anonymity as anonymity
from coordinator.anonymity import (
    BLOCKING_KINDS,
    KIND_LABELS,
    blocking,
    find_identifiers,
    warnings,
)

ALL_KINDS = {"personnummer", "phone", "email", "address", "postcode", "case_number", "birthdate", "name"}

MIXED = (
    "Fatima berättar att hennes bror Ahmed hotat henne. Hon bor på Kungsgatan 5, 803 20 Gävle, "
    "pnr 850314-1239, mobil 070-123 45 67, mejl fatima.ali@hotmail.com. Dnr SN 2018-0456. "
    "Hon är född 2005-03-14."
)


def kinds(text):
    return [(f.kind, f.text) for f in find_identifiers(text)]


def test_kind_labels_cover_every_kind_in_swedish():
    """KIND_LABELS has a Swedish label for exactly the eight kinds, with the
    wording the forms rely on."""
    assert set(KIND_LABELS) == ALL_KINDS
    assert KIND_LABELS["personnummer"] == "Personnummer eller samordningsnummer"
    assert KIND_LABELS["name"] == "Troligt personnamn"
    assert all(isinstance(v, str) and v for v in KIND_LABELS.values())


def test_blocking_kinds_are_all_but_name():
    """Every kind except 'name' blocks storage."""
    assert ALL_KINDS - {"name"} == BLOCKING_KINDS


def test_finding_is_a_frozen_dataclass_with_text_and_blocking():
    """Finding is frozen; .text is the span, .blocking follows the kind."""
    f = find_identifiers("Ring 070-123 45 67 i morgon.")[0]
    assert dataclasses.is_dataclass(f)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 0  # type: ignore[misc]
    assert f.kind == "phone" and f.text == "070-123 45 67" and f.blocking is True
    name = find_identifiers("Vi träffade Fatima i dag.")[0]
    assert name.kind == "name" and name.blocking is False
    assert name.label == "Troligt personnamn"
    assert name.to_dict() == {
        "kind": "name", "start": 12, "end": 18, "text": "Fatima", "blocking": False, "label": "Troligt personnamn",
    }


def test_offsets_are_exact_character_offsets():
    """text[f.start:f.end] == f.text for every finding, with exact positions
    (also after non-ASCII characters)."""
    text = "Åsa-Märta på Öster säger: ring mig på 073-456 78 90 eller mejla fatima@live.se."
    findings = find_identifiers(text)
    for f in findings:
        assert text[f.start:f.end] == f.text
    phone = next(f for f in findings if f.kind == "phone")
    assert (phone.start, phone.end) == (text.index("073"), text.index("073") + len("073-456 78 90"))
    email = next(f for f in findings if f.kind == "email")
    assert email.text == "fatima@live.se"


def test_findings_sorted_and_non_overlapping():
    """Findings come sorted by start and never overlap."""
    findings = find_identifiers(MIXED)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for a, b in zip(findings, findings[1:]):
        assert a.end <= b.start
    assert {f.kind for f in findings} == ALL_KINDS - {"postcode"}  # the postcode is inside the address


def test_address_with_postcode_is_one_address_finding():
    """An address that contains postcode and town is one 'address' finding."""
    assert kinds("Hon bor på Kungsgatan 5, 803 20 Gävle sedan mars.") == [("address", "Kungsgatan 5, 803 20 Gävle")]


def test_email_containing_a_name_is_one_email_finding():
    """A name inside an e-mail address does not produce a second finding."""
    assert kinds("Mejla ahmed.hassan@gmail.com i dag.") == [("email", "ahmed.hassan@gmail.com")]


def test_blocking_and_warnings_helpers_split_findings():
    """blocking() keeps blocking findings, warnings() the names."""
    findings = find_identifiers(MIXED)
    assert {f.kind for f in blocking(findings)} <= BLOCKING_KINDS
    assert [f.text for f in warnings(findings)] == ["Fatima", "Ahmed"]
    assert len(blocking(findings)) + len(warnings(findings)) == len(findings)


def test_empty_and_identifier_free_text():
    """Empty text and ordinary text give no findings."""
    assert find_identifiers("") == []
    assert find_identifiers("Mötet hölls på Socialtjänsten kl. 14.30.") == []


def test_module_imports_nothing_from_the_project():
    """The coordinator.anonymity package imports no other module of the
    project (it must stay self-contained): only relative imports inside the
    package, never an absolute import of ``coordinator``, never Flask."""
    package_dir = Path(anonymity.__file__).parent
    files = sorted(package_dir.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        depth = len(path.relative_to(package_dir).parts) - 1  # how deep inside the package
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= depth + 1 if node.level else True, (path, "relative import leaves the package")
                assert not (node.module or "").startswith(("coordinator", "flask")), path
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(("coordinator", "flask")) for a in node.names), path


def test_no_file_access_per_call(monkeypatch):
    """After the dictionaries are loaded, a call opens no file."""
    anonymity.preload()

    def no_open(*args, **kwargs):
        raise AssertionError("find_identifiers opened a file")

    monkeypatch.setattr("builtins.open", no_open)
    monkeypatch.setattr("io.open", no_open)
    assert kinds(MIXED)


def test_thread_safe_concurrent_calls():
    """Many threads calling at once get the same results as a single thread."""
    texts = [MIXED, "Yonas säger att Tesfaye kom.", "Ring 08-123 456 78.", "Ingenting här."] * 25
    expected = [find_identifiers(t) for t in texts]
    results = [None] * len(texts)
    errors = []

    def work(i):
        try:
            results[i] = find_identifiers(texts[i])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == expected


def test_clean_register_text_has_no_findings():
    """A typical clean note full of dates, times, ages, amounts, counts,
    organisations and places gives nothing at all."""
    text = (
        "Mötet hölls 2018-11-05 kl. 14.30–16.00 på Socialtjänsten i Sätra. Eleven är 16 år och går "
        "i årskurs 9 på Borgarskolan; frånvaron är 35 % sedan vecka 46. Kostnaden för tolk blev "
        "2 500 kr. Vi hänvisade till Länsstyrelsen, CVE och BUP. Läsåret 2018/19 hade vi 42 ärenden."
    )
    assert find_identifiers(text) == []


def test_kinds_runs_only_the_recognizers_asked_for(monkeypatch):
    """find_identifiers(text, kinds=...) runs only the recognizers of those
    kinds (the others do no work at all) and returns only their findings;
    kinds=None runs all; an unknown kind is an error."""
    import dataclasses

    import coordinator.anonymity as guard

    calls = []

    def spy(rec):
        def find(ctx):
            calls.append(rec.kind)
            return rec.find(ctx)
        return dataclasses.replace(rec, find=find)

    monkeypatch.setattr(guard, "RECOGNIZERS", tuple(spy(r) for r in guard.RECOGNIZERS))
    monkeypatch.setattr(guard, "_SELECTIONS", {})
    found = guard.find_identifiers(MIXED, kinds=["phone", "email"])
    assert calls == ["phone", "email"]
    assert {f.kind for f in found} == {"phone", "email"}
    calls.clear()
    assert guard.find_identifiers(MIXED, kinds=("name",))[0].kind == "name" and calls == ["name"]
    calls.clear()
    assert {f.kind for f in guard.find_identifiers(MIXED)} == ALL_KINDS - {"postcode"}
    assert calls == list(guard.KINDS)
    with pytest.raises(ValueError):
        guard.find_identifiers(MIXED, kinds=["phones"])
    assert guard.find_identifiers(MIXED, kinds=[]) == []


def test_kinds_labels_and_blocking_come_from_the_recognizers():
    """KINDS, KIND_LABELS and BLOCKING_KINDS are derived from the one tuple
    of recognizers, one module per kind."""
    from coordinator.anonymity import KINDS
    from coordinator.anonymity.recognizers import RECOGNIZERS

    assert tuple(r.kind for r in RECOGNIZERS) == KINDS
    assert {r.kind: r.label for r in RECOGNIZERS} == KIND_LABELS
    assert {r.kind for r in RECOGNIZERS if r.blocking} == BLOCKING_KINDS
    assert len({r.rank for r in RECOGNIZERS}) == len(RECOGNIZERS)
    for r in RECOGNIZERS:
        assert r.find.__module__ == f"coordinator.anonymity.recognizers.{r.kind}"
