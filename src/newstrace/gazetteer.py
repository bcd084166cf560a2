"""Optional user gazetteer: known entities that anchor canonical names.

A journalist who knows that "Andrei Belousov" is the defence minister can say so once; the
canonicaliser then uses that spelling as the canonical form, merges every alias onto it, never
merges two different gazetteer entries, and counts the listed roles as context. The format is
JSON Lines, one entity a line (see ``docs/gazetteer.md``)::

    {"canonical": "Andrei Belousov", "type": "PERSON", "aliases": ["Belousov"], "roles": ["defence minister"]}

newstrace ships no gazetteer: the file is the user's own knowledge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.names import normalize

#: Entity types a line may give, mapped onto the label families the canonicaliser uses.
TYPES = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "ORGANISATION": "ORG",
         "ORGANIZATION": "ORG", "GPE": "PLACE", "LOC": "PLACE", "PLACE": "PLACE", "FAC": "PLACE",
         "EVENT": "EVENT", "NORP": "NORP"}


class GazetteerError(ValueError):
    """A gazetteer line that cannot be used, with its line number."""


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity: its canonical spelling, type family, aliases and roles."""

    id: str
    canonical: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    """Entries indexed by the normalised form of every name they list."""

    entries: list[GazetteerEntry] = field(default_factory=list)
    _index: dict[tuple[str, str], GazetteerEntry] = field(default_factory=dict, repr=False)

    def add(self, entry: GazetteerEntry) -> None:
        self.entries.append(entry)
        for name in (entry.canonical, *entry.aliases):
            if not normalize(name):
                continue
            key = (entry.type, normalize(name))
            other = self._index.get(key)
            if other is not None and other.id != entry.id:
                # Ambiguous alias: anchor neither rather than guess.
                self._index[key] = GazetteerEntry("", "", entry.type)
            else:
                self._index[key] = entry

    def lookup(self, name: str, family: str) -> GazetteerEntry | None:
        """The entry whose canonical name or alias normalises to ``name``, if unambiguous."""
        entry = self._index.get((family, normalize(name)))
        return entry if entry is not None and entry.id else None

    @classmethod
    def load(cls, path: str | Path) -> "Gazetteer":
        return cls.from_lines(Path(path).read_text(encoding="utf-8").splitlines())

    @classmethod
    def from_lines(cls, lines: list[str]) -> "Gazetteer":
        """Parse JSON Lines; blank lines and lines starting with ``#`` are skipped."""
        gaz = cls()
        for n, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise GazetteerError(f"line {n}: not JSON ({e.msg})") from None
            if not isinstance(row, dict) or not str(row.get("canonical", "")).strip():
                raise GazetteerError(f"line {n}: needs a non-empty \"canonical\"")
            typ = TYPES.get(str(row.get("type", "PERSON")).upper())
            if typ is None:
                raise GazetteerError(f"line {n}: unknown type {row.get('type')!r}; known: {sorted(TYPES)}")
            aliases = row.get("aliases", []) or []
            roles = row.get("roles", []) or []
            if not all(isinstance(a, str) for a in [*aliases, *roles]):
                raise GazetteerError(f"line {n}: aliases and roles must be lists of strings")
            gaz.add(GazetteerEntry(str(row.get("id") or f"gaz{n}"), row["canonical"].strip(), typ,
                                   tuple(aliases), tuple(r.lower().strip() for r in roles)))
        return gaz
