"""The embedding call's batching (pure) and its vectors against the model's own encode."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.nlp import token_batches


@given(st.lists(st.integers(min_value=1, max_value=300), max_size=200), st.integers(min_value=1, max_value=5000))
def test_token_batches_cover_every_text_once_within_the_budget(lengths: list[int], budget: int) -> None:
    batches = token_batches(lengths, budget)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    for b in batches:
        # Padded to its longest text; only a text over the budget on its own may exceed it.
        assert len(b) * max(lengths[i] for i in b) <= budget or len(b) == 1
    # Similar lengths together: batches follow each other in length order.
    assert [lengths[i] for i in flat] == sorted(lengths[i] for i in flat)


def test_token_batches_put_many_short_texts_and_few_long_ones_in_a_batch() -> None:
    lengths = [10] * 100 + [100] * 10
    batches = token_batches(lengths, 1000)
    assert [len(b) for b in batches] == [100, 10]
    assert token_batches([], 1000) == []
    assert token_batches([5000, 3], 1000) == [[1], [0]]


@pytest.mark.slow
def test_embed_gives_the_models_vectors_in_input_order() -> None:
    from newstrace.nlp import embed, embedder

    texts = ["The ministry said the bridge would reopen on Monday.", "Rain.",
             "Officials, speaking on condition of anonymity, said talks had stalled over the route of the "
             "pipeline and the compensation owed to farmers along it.", "Rain.", "A second short text."]
    got = embed(texts, tokens_per_batch=40)  # several batches of different lengths
    want = embedder().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert got.shape == (5, 384) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert float((got * want).sum(axis=1).min()) > 0.999  # bf16 autocast where the CPU has it
    assert np.array_equal(got[1], got[3])


@pytest.mark.slow
def test_word_pieces_are_the_lengths_the_model_reads() -> None:
    """The batches are planned from tokenizer.json alone; the lengths must be the model's own
    (special tokens counted, cut at its 256 pieces, not the file's 128, and no padding)."""
    from newstrace.nlp import embedder, word_pieces

    texts = ["", " ", "Rain.", "Dr. Ščerbakova-Ötzi's “quote” — 12.5% of €3bn, per @ministry #news 🙂",
             "ministry " * 200, "Unbelievably sesquipedalian antidisestablishmentarianism " * 60, "日本語のテキスト"]
    model = embedder()
    want = [len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=model.get_max_seq_length(),
                                                 return_attention_mask=False, return_token_type_ids=False)["input_ids"]]
    assert word_pieces(texts) == want
    assert max(want) == 256 and min(want) == 2


@pytest.mark.slow
def test_spacy_models_multiply_through_numpy_not_blis() -> None:
    from thinc.api import NumpyOps

    from newstrace.nlp import spacy_pipeline

    nlp = spacy_pipeline("full")
    for name in ("tok2vec", "parser", "ner"):
        ops = nlp.get_pipe(name).model.ops
        assert isinstance(ops, NumpyOps) and ops.use_blis is False, name
    doc = nlp("The minister said on Tuesday that the bridge in Riga would reopen.")
    assert [e.label_ for e in doc.ents] and any(t.dep_ == "nsubj" for t in doc)


def _gil_check_tool() -> ModuleType:
    """``tools/spacy_gil_check.py`` (a script, not a package module)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "spacy_gil_check.py"
    spec = importlib.util.spec_from_file_location("spacy_gil_check", path)
    assert spec is not None and spec.loader is not None
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    return check


def test_installed_spacy_parser_loops_take_no_empty_gil_round_trips() -> None:
    """The spaCy pin (requirements.in) exists for this: wheels from 3.8.8 on take and drop the
    GIL inside the transition loop's state accessors, which doubled NER time."""
    import shutil

    if shutil.which("objdump") is None:
        pytest.skip("objdump (binutils) is not installed")
    assert _gil_check_tool().main([]) == 0


def test_gil_check_tells_an_empty_round_trip_from_a_real_with_gil_block() -> None:
    """The check behind the spaCy pin, on a listing shaped like 3.8.18's ``StateC::B_`` (an
    empty pair) and like an error path that raises while it holds the GIL (work between)."""
    listing = """
0000000000012340 <_ZNK6spacy6StateC2B_Ei>:
   12340:\tpush   %rbx
   12341:\tcall   11000 <PyGILState_Ensure@plt>
   12346:\tmov    %eax,%edi
   12348:\tcall   11010 <PyGILState_Release@plt>
   1234d:\tcall   11000 <PyGILState_Ensure@plt>
   12352:\tmov    %eax,%edi
   12354:\tcall   11010 <PyGILState_Release@plt>

0000000000012400 <__pyx_f_5spacy_raise_error>:
   12400:\tcall   11000 <PyGILState_Ensure@plt>
   12405:\tmov    %eax,%ebx
   12407:\tlea    0x10(%rip),%rdi
   1240e:\tcall   11020 <PyErr_SetString@plt>
   12413:\tmov    %ebx,%edi
   12415:\tcall   11010 <PyGILState_Release@plt>
"""
    counts, ensures = _gil_check_tool().count_in_listing(listing)
    assert counts == {"_ZNK6spacy6StateC2B_Ei": 2} and ensures == 3


@pytest.mark.slow
def test_embed_in_worker_processes_gives_the_same_vectors() -> None:
    """Corroboration spreads the model's batches over its worker processes (one thread each);
    the vectors must be those of this process, or the two paths would store different findings.
    One thread and two may sum in another order: on an AMD Zen 3 the float32 vectors were equal
    to the last bit, on an Intel Xeon they differ by about 1e-7; under bf16 autocast (a CPU
    with AVX512-BF16 or AMX) by a few parts in ten thousand. The same vectors to the precision
    the model runs at, each its own text's."""
    from newstrace.nlp import cpu_has_bf16, embed
    from newstrace.workers import process_pool

    texts = [f"Officials said {n} trucks crossed the border at {place} on {day}." for n, place, day in
             zip(range(3, 40, 3), ["Narva", "Kyiv", "Riga", "Tartu"] * 4, ["Monday", "Friday"] * 8)]
    texts += ["Rain.", "The council said the vote, delayed twice since the spring, would be held in June."]
    here = embed(texts, tokens_per_batch=64)  # several batches
    mapped: list[int] = []
    with process_pool(2) as pool:
        def spread(fn, batches):  # type: ignore[no-untyped-def]
            mapped.append(len(batches))
            return pool.map(fn, batches)

        there = embed(texts, tokens_per_batch=64, map_batches=spread)
    assert mapped and mapped[0] > 2
    np.testing.assert_allclose(there, here, rtol=0, atol=3e-3 if cpu_has_bf16() else 1e-6)
    assert (np.argmax(there @ here.T, axis=1) == np.arange(len(texts))).all()
