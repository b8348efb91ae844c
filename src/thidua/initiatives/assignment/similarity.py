"""Text similarity between submissions and a reviewer's past reviewed texts (TF-IDF cosine)."""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
from scipy import sparse

from thidua.org.selectors import normalise_search

_WORD = re.compile(r"[a-z0-9]+")


def _terms(text: str) -> list[str]:
    words = [w for w in _WORD.findall(normalise_search(text)) if len(w) > 1]
    # Vietnamese words are often two syllables ("nuoc sach"): syllable pairs carry them.
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def text_similarity(left: list[str], right: list[str]) -> np.ndarray:
    """TF-IDF cosine between every text of `left` and every text of `right` (diacritics and case
    folded, syllables and syllable pairs). An empty text is similar to nothing."""
    documents = [_terms(t) for t in left + right]
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for i, terms in enumerate(documents):
        bag: dict[int, int] = defaultdict(int)
        for term in terms:
            bag[vocabulary.setdefault(term, len(vocabulary))] += 1
        for j, c in bag.items():
            rows.append(i)
            cols.append(j)
            counts.append(c)
    if not vocabulary:
        return np.zeros((len(left), len(right)))
    matrix = sparse.csr_matrix(
        (1.0 + np.log(np.array(counts, float)), (rows, cols)),
        shape=(len(documents), len(vocabulary)),
    )
    df = np.bincount(np.array(cols), minlength=len(vocabulary))
    matrix = matrix @ sparse.diags(np.log((1 + len(documents)) / (1 + df)) + 1.0)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ matrix
    a, b = matrix[: len(left)], matrix[len(left) :]
    return np.asarray((a @ b.T).todense())
