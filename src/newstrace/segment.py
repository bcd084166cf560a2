"""The segment stage: sentences and per-article statistics.

A pure function of one article, so it runs the same in this process and on a Ray worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.model import Article, ArticleStats, Sentence
from newstrace.text import count_words, paragraph_spans, split_sentences

NAME = "segment"
VERSION = "1"

_QUOTE = re.compile(r"[\"“”„«»]")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\b")


@dataclass(frozen=True)
class Segmented:
    article_id: str
    sentences: list[Sentence]
    stats: ArticleStats


def segment(article: Article) -> Segmented:
    spans = split_sentences(article.text)
    sentences = [Sentence(article.id, i, s, e, article.text[s:e]) for i, (s, e) in enumerate(spans)]
    n_words = count_words(article.text)
    stats = ArticleStats(
        article_id=article.id,
        n_chars=len(article.text),
        n_words=n_words,
        n_sentences=len(sentences),
        n_paragraphs=len(paragraph_spans(article.text)),
        # Pairs of quotation marks: a cheap proxy for direct quotes, before claim extraction.
        n_quotes=len(_QUOTE.findall(article.text)) // 2,
        n_numbers=len(_NUMBER.findall(article.text)),
        mean_sentence_words=round(n_words / len(sentences), 2) if sentences else 0.0,
    )
    return Segmented(article.id, sentences, stats)
