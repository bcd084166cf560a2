"""Shared fixtures. Every text here is written by the newstrace team."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "corpus"

STORY = (
    "Harbour Authority Opens Night Ferry Route\n"
    "The Lindqvist Harbour Authority said on Tuesday that a night ferry will link the two islands from June.\n"
    "\"We expect about 400 passengers a night,\" said Marta Oyelaran, the authority's director.\n"
    "Critics claim the timetable was agreed without consulting the crews, according to a union leaflet.\n"
)


@pytest.fixture
def story_text() -> str:
    return STORY


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def strict_json(text: str) -> Any:
    """Parse JSON as browsers and strict parsers do: NaN and Infinity are not JSON."""
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)
