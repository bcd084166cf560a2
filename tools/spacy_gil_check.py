"""Whether the installed spaCy's parser and NER loops take the GIL on their hot path.

    python tools/spacy_gil_check.py            # the spaCy of this venv
    python tools/spacy_gil_check.py DIR        # an unpacked wheel's ``spacy`` folder

Why: spaCy's wheels from 3.8.8 on call ``PyGILState_Ensure``/``Release`` in empty pairs
inside state accessors such as ``StateC::B_``, which the transition loop calls several times
per action under ``nogil``: NER took twice as long (see docs/benchmarks.md, the spaCy 3.8.7
round). This disassembles the loop's extension modules (``objdump -d``, from binutils) and
counts such empty pairs. Exit status 1 when any is found, so a version bump can be checked
before it lands; 2 when it cannot tell (no objdump, a module missing, no GIL call recognised).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

#: The extension modules the parser's and NER's greedy loop runs in.
MODULES = ("pipeline/_parser_internals/ner", "pipeline/_parser_internals/arc_eager",
           "pipeline/transition_parser", "ml/parser_model")
_FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")


def empty_gil_pairs(shared_object: Path) -> tuple[dict[str, int], int]:
    """Per function of ``shared_object``: ``PyGILState_Ensure`` calls followed at once by the
    matching ``PyGILState_Release`` (at most one instruction between, which passes the
    state), i.e. GIL round trips that do nothing; and the number of ``PyGILState_Ensure``
    calls of any kind. Real ``with gil`` blocks (raising an error, an assertion) do work
    between the two and are not counted as empty."""
    return count_in_listing(subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(shared_object)],
                                           check=True, capture_output=True, text=True).stdout)


def count_in_listing(listing: str) -> tuple[dict[str, int], int]:
    """:func:`empty_gil_pairs` on the text of an ``objdump -d`` listing."""
    counts: dict[str, int] = {}
    ensures = 0
    function = ""
    since_ensure: int | None = None
    for line in listing.splitlines():
        m = _FUNCTION.match(line)
        if m:
            function, since_ensure = m.group(1), None
            continue
        if "<PyGILState_Ensure@plt>" in line:
            ensures += 1
            since_ensure = 0
        elif since_ensure is not None:
            if "<PyGILState_Release@plt>" in line:
                counts[function] = counts.get(function, 0) + 1
                since_ensure = None
            else:
                since_ensure += 1
                if since_ensure > 1:
                    since_ensure = None
    return counts, ensures


def main(argv: list[str]) -> int:
    if shutil.which("objdump") is None:
        print("objdump (binutils) is needed", file=sys.stderr)
        return 2
    if argv:
        root = Path(argv[0])
    else:
        import spacy

        root = Path(spacy.__file__).parent
    found = ensures = 0
    for module in MODULES:
        objects = sorted(root.glob(module + ".*.so"))
        if not objects:
            # A module renamed or moved: the check would pass without having looked.
            print(f"{module}: no extension module under {root}", file=sys.stderr)
            return 2
        for so in objects:
            counts, n_ensure = empty_gil_pairs(so)
            found += sum(counts.values())
            ensures += n_ensure
            worst = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
            print(f"{so.relative_to(root)}: {sum(counts.values())} empty GIL round trips of {n_ensure} "
                  "PyGILState_Ensure calls"
                  + (f" (e.g. {', '.join(f'{n} in {f[:70]}' for f, n in worst)})" if worst else ""))
    if not ensures:
        # Every spaCy build has real ``with gil`` blocks here; none seen means the disassembly
        # no longer names the call as expected, not that the loops are clean.
        print("no PyGILState_Ensure call recognised in the disassembly", file=sys.stderr)
        return 2
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
