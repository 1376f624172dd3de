"""Measuring the checker on real published statements: what each one contains, as people
annotated it, against what the checker reads. Used by the tests and `make bench`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from app.statements.checker import CheckContext, check_statement
from app.statements.grammar import ELEMENTS, FAULTS


@dataclass
class Score:
    """Per element: statements that contain it (annotated), that the checker says contain it,
    and both; per fault: annotated phrases found in a flagged sentence."""

    true_positive: dict[str, int] = field(default_factory=dict)
    annotated: dict[str, int] = field(default_factory=dict)
    detected: dict[str, int] = field(default_factory=dict)
    faults_annotated: dict[str, int] = field(default_factory=dict)
    faults_found: dict[str, int] = field(default_factory=dict)
    faults_flagged: dict[str, int] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (statement, element)
    extra: list[tuple[str, str]] = field(default_factory=list)
    faults_missed: list[tuple[str, str, str]] = field(default_factory=list)

    def precision(self, element: str) -> float:
        return self.true_positive.get(element, 0) / max(self.detected.get(element, 0), 1)

    def recall(self, element: str) -> float:
        return self.true_positive.get(element, 0) / max(self.annotated.get(element, 0), 1)

    def reported_missing(self) -> float:
        """Of all (statement, element) pairs a person says are there, the share the checker
        reports missing."""
        total = sum(self.annotated.values())
        return len(self.missed) / total if total else 0.0


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def score(corpus: list[dict]) -> Score:
    result = Score()
    for entry in corpus:
        context = CheckContext(names=tuple(entry.get("business", ())))
        checked = check_statement(entry["text"], context=context)
        contains = checked.contains()
        annotated = set(entry["contains"])
        for element in ELEMENTS:
            if element in annotated:
                result.annotated[element] = result.annotated.get(element, 0) + 1
                if element not in contains:
                    result.missed.append((entry["id"], element))
            if element in contains:
                result.detected[element] = result.detected.get(element, 0) + 1
                if element not in annotated:
                    result.extra.append((entry["id"], element))
            if element in annotated and element in contains:
                result.true_positive[element] = result.true_positive.get(element, 0) + 1
        flagged = {
            rule: [f.sentence for f in checked.findings if f.rule == rule] for rule in FAULTS
        }
        for rule in FAULTS:
            result.faults_flagged[rule] = result.faults_flagged.get(rule, 0) + len(flagged[rule])
            for phrase in entry["faults"].get(rule, []):
                result.faults_annotated[rule] = result.faults_annotated.get(rule, 0) + 1
                if any(phrase in sentence for sentence in flagged[rule]):
                    result.faults_found[rule] = result.faults_found.get(rule, 0) + 1
                else:
                    result.faults_missed.append((entry["id"], rule, phrase))
    return result


def report(result: Score) -> list[str]:
    lines = [f"{'element':16} {'in corpus':>9} {'found':>6} {'precision':>9} {'recall':>7}"]
    for element in ELEMENTS:
        lines.append(
            f"{element:16} {result.annotated.get(element, 0):9} "
            f"{result.detected.get(element, 0):6} {result.precision(element):9.2f} "
            f"{result.recall(element):7.2f}"
        )
    lines.append(f"reported missing though present: {result.reported_missing():.1%}")
    for rule in FAULTS:
        annotated = result.faults_annotated.get(rule, 0)
        lines.append(
            f"{rule:16} annotated {annotated}, found {result.faults_found.get(rule, 0)}, "
            f"sentences flagged {result.faults_flagged.get(rule, 0)}"
        )
    return lines
