"""spaCy's attribute ruler as a lookup table: the same annotations, without its Matcher.

The small English pipeline's ``attribute_ruler`` maps each token's tag to a part of speech and
morphology and patches lemmas and a few parts of speech by word and dependency (179 rules,
all one token long but eight). spaCy runs them through its general token Matcher, which cost
about an eighth of the whole parse of a news article (``bench/parse.py``). Every one-token
rule is a test of the token's own tag, lowercase form, dependency and whether it is a space,
so its outcome is a function of those four values: computed once per distinct combination
and kept, it is a dictionary lookup per token. A new combination (news brings new word forms
all the time) is the AND of four bitmasks of the patterns that accept each value, themselves
kept per value. The two-token rules are checked through the same table (which rules each
token could start or end).

The table applies each matching rule's attributes with spaCy's own ``set_token_attrs``, in the
ruler's order (by rule; later rules win), so the result is the ruler's. ``TableAttributeRuler``
refuses patterns outside what it understands (other attributes, operators or lengths); the
caller then keeps spaCy's ruler.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: Token attributes a rule may test, in the order of a table key.
KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_STRING_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2}

Predicate = Callable[[tuple[str, str, str, bool]], bool]

#: Distinct (tag, lower, dep, is_space) combinations kept before the table starts afresh: a
#: long run meets ever more word forms, and a worker must not grow without bound.
MAX_TABLE_ENTRIES = 200_000


class UnsupportedPattern(ValueError):
    """A ruler pattern the table cannot reproduce exactly."""


def _value_test(attr: str, spec: Any) -> Callable[[Any], bool]:
    if attr == "IS_SPACE":
        if not isinstance(spec, bool):
            raise UnsupportedPattern(f"IS_SPACE test {spec!r}")
        return lambda v: v is spec
    if isinstance(spec, str):
        return lambda v: v == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            values = frozenset(arg)
            return lambda v: v in values
        if op == "NOT_IN" and isinstance(arg, list):
            values = frozenset(arg)
            return lambda v: v not in values
        if op == "REGEX" and isinstance(arg, str):
            search = re.compile(arg).search
            return lambda v: search(v) is not None
    raise UnsupportedPattern(f"{attr} test {spec!r}")


def compile_token_pattern(spec: dict[str, Any]) -> Predicate:
    """A test of one token's (tag, lower, dep, is_space) for one Matcher token pattern."""
    tests: list[tuple[int, Callable[[Any], bool]]] = []
    for attr, value in spec.items():
        if attr not in KEY_ATTRS:
            raise UnsupportedPattern(f"attribute {attr!r}")
        tests.append((KEY_ATTRS.index(attr), _value_test(attr, value)))
    return lambda key: all(test(key[pos]) for pos, test in tests)


class _AttributeMasks:
    """For one key attribute, the bitmask of token patterns that accept a value: patterns that
    do not test the attribute, those whose exact value or ``IN`` list holds it (one dictionary
    lookup), and the other tests run once. Kept per value, so a new combination of the four
    attributes costs four lookups and three ANDs instead of a run of every pattern."""

    def __init__(self, attr: str, specs: list[dict[str, Any]]) -> None:
        self.untested = 0
        self.exact: dict[Any, int] = {}
        self.other: list[tuple[int, Callable[[Any], bool]]] = []
        for bit, spec in enumerate(specs):
            if attr not in spec:
                self.untested |= 1 << bit
                continue
            value = spec[attr]
            listed = value.get("IN") if isinstance(value, dict) and len(value) == 1 else None
            if attr != "IS_SPACE" and isinstance(value, str):
                self.exact[value] = self.exact.get(value, 0) | 1 << bit
            elif isinstance(listed, list):
                for v in set(listed):
                    self.exact[v] = self.exact.get(v, 0) | 1 << bit
            else:
                self.other.append((bit, _value_test(attr, value)))
        self.cache: dict[Any, int] = {}

    def mask(self, value: Any) -> int:
        got = self.cache.get(value)
        if got is None:
            got = self.untested | self.exact.get(value, 0)
            for bit, test in self.other:
                if test(value):
                    got |= 1 << bit
            self.cache[value] = got
        return got


class TableAttributeRuler:
    """A drop-in for a loaded ``AttributeRuler`` (same rules, same annotations)."""

    def __init__(self, ruler: "AttributeRuler") -> None:
        self.vocab: Vocab = ruler.vocab
        self.attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.single: list[int] = []  # the rule of each one-token pattern
        self.double: list[tuple[int, int]] = []  # (rule, index) of each two-token pattern
        singles: list[dict[str, Any]] = []
        firsts: list[dict[str, Any]] = []
        seconds: list[dict[str, Any]] = []
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if len(pattern) == 1:
                    if self.indices[rule] not in (0, -1):
                        raise UnsupportedPattern(f"index {self.indices[rule]} of a one-token rule")
                    compile_token_pattern(pattern[0])  # refuses what the masks could not test
                    self.single.append(rule)
                    singles.append(pattern[0])
                elif len(pattern) == 2:
                    if self.indices[rule] not in (0, 1, -1, -2):
                        raise UnsupportedPattern(f"index {self.indices[rule]} of a two-token rule")
                    compile_token_pattern(pattern[0])
                    compile_token_pattern(pattern[1])
                    self.double.append((rule, self.indices[rule] % 2))
                    firsts.append(pattern[0])
                    seconds.append(pattern[1])
                else:
                    raise UnsupportedPattern(f"a pattern of {len(pattern)} tokens")
        # One bit per token pattern: the one-token rules, then the first and the second tokens
        # of the two-token rules.
        specs = singles + firsts + seconds
        self._masks = [_AttributeMasks(attr, specs) for attr in KEY_ATTRS]
        self._n_single, self._n_double = len(singles), len(firsts)
        self._decoded: dict[int, tuple[tuple[int, ...], int, int]] = {}
        self._table: dict[tuple[int, int, int, int], tuple[tuple[int, ...], int, int]] = {}

    def _lookup(self, key: tuple[int, int, int, int]) -> tuple[tuple[int, ...], int, int]:
        """(one-token rules that fire, bitmask of two-token rules this token can start, and of
        those it can end) for a token's hashed (tag, lower, dep, is_space)."""
        got = self._table.get(key)
        if got is None:
            if len(self._table) >= MAX_TABLE_ENTRIES:
                self.clear()
            strings = self.vocab.strings
            values = (strings[key[0]] if key[0] else "", strings[key[1]] if key[1] else "",
                      strings[key[2]] if key[2] else "", bool(key[3]))
            mask = -1
            for m, v in zip(self._masks, values):
                mask &= m.mask(v)
            got = self._table[key] = self._decode(mask)
        return got

    def clear(self) -> None:
        """Forget every combination and value seen (the next tokens are worked out afresh)."""
        self._table.clear()
        self._decoded.clear()
        for m in self._masks:
            m.cache.clear()

    def _decode(self, mask: int) -> tuple[tuple[int, ...], int, int]:
        got = self._decoded.get(mask)
        if got is None:
            n, d = self._n_single, self._n_double
            rules = tuple(sorted({self.single[b] for b in range(n) if mask >> b & 1}))
            low = (1 << d) - 1
            got = self._decoded[mask] = (rules, mask >> n & low, mask >> (n + d) & low)
        return got

    def __call__(self, doc: "Doc") -> "Doc":
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        keys = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        found = [self._lookup(k) for k in keys]  # type: ignore[arg-type]
        fired: dict[int, list[int]] = {}
        if self.double:
            for k in range(len(found) - 1):
                both = found[k][1] & found[k + 1][2]
                while both:
                    n = (both & -both).bit_length() - 1
                    both &= both - 1
                    rule, index = self.double[n]
                    fired.setdefault(k + index, list(found[k + index][0])).append(rule)
        attrs = self.attrs
        for k, (rules, _, _) in enumerate(found):
            extra = fired.get(k)
            if extra is not None:
                rules = tuple(sorted(set(extra)))
            if rules:
                token = doc[k]
                for rule in rules:
                    set_token_attrs(token, attrs[rule])
        return doc


def install(nlp: Any) -> bool:
    """Replace the pipeline's ``attribute_ruler`` by its table; False (and nothing changed)
    when there is none or its patterns are outside what the table reproduces."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    try:
        table = TableAttributeRuler(nlp.get_pipe("attribute_ruler"))
    except UnsupportedPattern:
        return False
    _register()
    nlp.replace_pipe("attribute_ruler", "newstrace_attribute_table")
    nlp.get_pipe("attribute_ruler").table = table
    return True


class _Component:
    """The registered pipeline component; holds the table once :func:`install` sets it."""

    table: TableAttributeRuler | None = None

    def __call__(self, doc: "Doc") -> "Doc":
        assert self.table is not None, "install() sets the table"
        return self.table(doc)

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 128) -> Iterator["Doc"]:
        for doc in docs:
            yield self(doc)


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("newstrace_attribute_table"):
        Language.factory("newstrace_attribute_table", func=lambda nlp, name: _Component())
