"""Module hygiene that no other test sees.

A module-level name assigned twice replaces the first at import, and every function that used
it reads the second: ``figures.py`` once gave its slots' year pattern and a clause-year pattern
one name (years read in "2019.50 rells"), and later a vote-word set and a vote-cue pattern (a
``re.Pattern`` where a set was meant). Each module's top-level names are assigned once.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "newstrace"


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_level_name_is_assigned_twice(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    names: Counter[str] = Counter()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign) else [node.target]
                   if isinstance(node, ast.AnnAssign) and node.value is not None else [])
        names.update(t.id for t in targets if isinstance(t, ast.Name))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] += 1
    assert [n for n, k in names.items() if k > 1] == []
