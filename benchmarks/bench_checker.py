"""The statement checker against people: element precision and recall on real published crisis
statements (tests/fixtures/statements/corpus.json, annotated by hand), and the faults found.

Precision: of the statements the checker says contain an element, the share a person says do.
Recall: of the statements a person says contain it, the share the checker finds (one minus the
share it would wrongly report missing). The rules were written with this corpus in view, so
these are figures of coverage, not of text never seen; `held_out` in an entry marks those
annotated after the rules were frozen.
"""

from __future__ import annotations

from pathlib import Path

from app.statements.corpus import load, report, score

CORPUS = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "statements" / "corpus.json"
)


def run() -> None:
    corpus = load(CORPUS)
    held_out = [entry for entry in corpus if entry.get("held_out")]
    for name, entries in (("all statements", corpus), ("held out", held_out)):
        if not entries:
            continue
        print(f"{name}: {len(entries)}")
        result = score(entries)
        for line in report(result):
            print("  " + line)
        for statement, element in result.missed:
            print(f"  reported missing though present: {element} in {statement}")
        for statement, element in result.extra:
            print(f"  found though a person says absent: {element} in {statement}")


if __name__ == "__main__":
    run()
