"""Near-duplicate detection at national scale, in memory: 100,000 generated submissions.

Generates Vietnamese and Indonesian submissions (a fixed seed; diacritics stripped in some) with
planted near-duplicates (diacritics stripped, sentences reordered, light paraphrase, partial
copying, copy-edits, and pairs of these), then compares, against the planted truth:

- ours: `thidua.initiatives.duplicates` exactly as the app runs it (normalisation, character
  5-grams, MinHash, LSH bands (two shared of 64), estimate filter, exact scores), through
  `MemoryIndex`, which keeps in dictionaries what the app keeps in its tables; every submission
  is checked against the ones before it, then added (incremental, like the background task);
- exhaustive: the same exact scores and thresholds on every pair, without LSH. 5·10^9 pairs are
  too many, so it runs for a random sample of submissions (`--sample`), each against all the
  others (a sparse matrix product per block of the sample); ours is reported on the same pairs;
- datasketch MinHashLSH at default settings (threshold 0.5, 128 permutations, SHA-1 of each
  shingle): its candidates are its answer;
- datasketch MinHash + MinHashLSH with our bands (64×2) and our exact check: the same method
  built from the library, to show what our own numpy code buys.

Then times checking one new submission (fingerprint, candidates, scores) against the full index
for `--checks` held-out submissions (half of them near-duplicates of indexed ones).

    .venv/bin/python benchmarks/duplicates.py [--n 100000] [--sample 2000] [--checks 1000]
        [--skip-datasketch]

No database: Django is set up only to import the module (its text functions touch none).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
os.environ["DEBUG"] = "false"

SEED = 20260501
Pair = tuple[int, int]

# --- the generated corpus -------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


# Real frequent words (function words and the vocabulary of civic initiatives) head each
# language's Zipf distribution; generated words make the long tail.
VI_COMMON = words(
    "của và cho các những được trong có là với người dân này một để không đã tại về từ đến "
    "theo khi cũng như nhiều hơn sẽ đang phải việc trên sau năm hộ xã phường tổ khu thôn "
    "sáng kiến cộng đồng môi trường nước sạch rác thải chiếu sáng đường làng ngõ xóm "
    "an ninh trật tự văn hoá giáo dục y tế trẻ em người cao tuổi phụ nữ thanh niên hội "
    "mô hình hiệu quả kinh tế xã hội giải pháp thực hiện áp dụng triển khai kết quả chi phí "
    "tiết kiệm nâng cao chất lượng đời sống vận động tuyên truyền tham gia đóng góp xây dựng "
    "cải tạo sửa chữa lắp đặt trồng cây xanh bảo vệ phòng chống thiên tai lũ lụt dịch bệnh "
    "nông nghiệp sản xuất hợp tác doanh nghiệp ngân sách kinh phí tự nguyện nhân rộng"
)
ID_COMMON = words(
    "yang dan di untuk dengan dari ini itu dalam pada tidak akan ke oleh sebagai juga "
    "warga masyarakat desa kelurahan kecamatan rukun tetangga rt rw program kegiatan inovasi "
    "air bersih sampah lingkungan jalan lampu penerangan keamanan ketertiban budaya pendidikan "
    "kesehatan anak lansia perempuan pemuda kelompok model efektif ekonomi sosial solusi "
    "pelaksanaan penerapan hasil biaya hemat meningkatkan kualitas kehidupan sosialisasi "
    "partisipasi gotong royong membangun memperbaiki memasang menanam pohon melindungi "
    "mencegah bencana banjir penyakit pertanian produksi koperasi usaha anggaran dana swadaya"
)
# Sentences that many unrelated submissions share, as real ones share their formulas.
BOILERPLATE = {
    "vi": [
        "Sáng kiến đã được áp dụng thử tại đơn vị và mang lại hiệu quả rõ rệt",
        "Giải pháp này có thể nhân rộng ra các địa phương khác với chi phí thấp",
        "Người dân tự nguyện đóng góp kinh phí và ngày công để thực hiện",
        "Mô hình góp phần nâng cao đời sống vật chất và tinh thần của nhân dân",
        "Ban công tác Mặt trận khu dân cư chủ trì phối hợp với các đoàn thể",
        "Kết quả được cấp ủy chính quyền địa phương ghi nhận và đánh giá cao",
        "Kinh phí thực hiện chủ yếu từ nguồn xã hội hoá",
        "Sau một năm triển khai mô hình duy trì ổn định và phát huy hiệu quả",
    ],
    "id": [
        "Inovasi ini telah diuji coba di unit kami dan memberikan hasil yang nyata",
        "Solusi ini dapat direplikasi ke daerah lain dengan biaya rendah",
        "Warga secara sukarela menyumbang dana dan tenaga untuk pelaksanaannya",
        "Model ini membantu meningkatkan kesejahteraan lahir dan batin masyarakat",
        "Pengurus rukun warga memimpin bersama organisasi kemasyarakatan setempat",
        "Hasilnya diakui dan diapresiasi oleh pemerintah daerah setempat",
        "Dana pelaksanaan terutama berasal dari swadaya masyarakat",
        "Setelah satu tahun model ini tetap berjalan stabil dan efektif",
    ],
}
# Closing formulas a call's form invites: in the small-call sets (`--style call`) each stock
# sentence (these and the ones above) goes into 5–15 % of the submissions of its language.
CLOSING = {
    "vi": [
        "Kính đề nghị Hội đồng sáng kiến xem xét công nhận sáng kiến",
        "Tôi xin cam đoan mọi thông tin nêu trong đơn là trung thực đúng sự thật",
        "Đơn vị cam kết tiếp tục duy trì và nhân rộng mô hình trong thời gian tới",
    ],
    "id": [
        "Kami mohon dewan inovasi berkenan menilai dan mengakui inovasi ini",
        "Saya menyatakan bahwa semua keterangan dalam formulir ini benar",
        "Unit kami berkomitmen melanjutkan dan memperluas model ini ke depan",
    ],
}
VI_ONSETS = words("b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x") + [""]
VI_NUCLEI = words("a ă â e ê i o ô ơ u ư y ai ao oi ôi ơi ui ưu iê uô ươ ay ây eo iu oa oe uy")
VI_CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
# The five tone marks (and none) as combining characters; NFC composes them.
VI_TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
ID_ONSETS = words("b c d g h j k l m n p r s t w y ng ny") + [""]
ID_VOWELS = words("a i u e o a a i u")
ID_CODAS = ["", "", "", "n", "ng", "r", "k", "t", "s", "l", "m", "h"]
VOCABULARY = 30_000
TOPICS = 300
TOPIC_WORDS = 150


def strip_marks(text: str) -> str:
    """What a keyboard without Vietnamese input produces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@dataclass
class Language:
    code: str
    words: list[str]
    cumulative: list[float]
    synonyms: dict[str, str]
    topics: list[list[str]]


@dataclass
class Doc:
    language: str
    topic: int
    title: str
    summary: list[str]
    description: list[str]

    def text(self) -> str:
        from thidua.initiatives.duplicates import submission_text

        return submission_text(self.title, " ".join(self.summary), " ".join(self.description))

    def replace(self, title: str, summary: list[str], description: list[str]) -> Doc:
        return Doc(self.language, self.topic, title, summary, description)


class Corpus:
    """Two toy languages with the statistics that matter here: Zipf-distributed words whose
    head is real vocabulary, topics that make unrelated submissions on the same subject share
    words, shared boilerplate sentences, Vietnamese tone marks that collapse when stripped."""

    def __init__(self, seed: int, style: str = "national"):
        self.rng = random.Random(seed)
        self.languages = {code: self._language(code) for code in ("vi", "id")}
        self.style = style
        # In a call: each stock sentence is in a share (5–15 %) of the submissions.
        self.stock = (
            {
                code: [(s, self.rng.uniform(0.05, 0.15)) for s in BOILERPLATE[code] + CLOSING[code]]
                for code in ("vi", "id")
            }
            if style == "call"
            else {}
        )

    def _word(self, code: str) -> str:
        rng = self.rng
        if code == "vi":
            syllables = []
            for _ in range(rng.choice([1, 1, 2])):
                syllable = (
                    rng.choice(VI_ONSETS)
                    + rng.choice(VI_NUCLEI)
                    + rng.choice(VI_TONES)
                    + rng.choice(VI_CODAS)
                )
                syllables.append(unicodedata.normalize("NFC", syllable))
            return " ".join(syllables)
        return "".join(
            rng.choice(ID_ONSETS) + rng.choice(ID_VOWELS) + (rng.choice(ID_CODAS) if i else "")
            for i in range(rng.choice([2, 2, 3, 3, 4]))
        )

    def _language(self, code: str) -> Language:
        words = list(dict.fromkeys(VI_COMMON if code == "vi" else ID_COMMON))
        seen = set(words)
        while len(words) < VOCABULARY:
            word = self._word(code)
            if word not in seen:
                seen.add(word)
                words.append(word)
        cumulative = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(words))))
        # A word's "synonym": another word of about the same frequency.
        synonyms = {
            word: words[min(len(words) - 1, max(0, i + self.rng.randint(-50, 50)))]
            for i, word in enumerate(words)
        }
        tail = words[200:]
        topics = [self.rng.sample(tail, TOPIC_WORDS) for _ in range(TOPICS)]
        return Language(code, words, cumulative, synonyms, topics)

    def sentence(self, code: str, topic: int, low: int = 8, high: int = 20) -> str:
        rng, language = self.rng, self.languages[code]
        size = rng.randint(low, high)
        general = sum(rng.random() < 0.5 for _ in range(size))
        on_topic = sum(rng.random() < 0.7 for _ in range(size - general))
        words = rng.choices(language.words, cum_weights=language.cumulative, k=general)
        topic_words = language.topics[topic]
        words += [
            topic_words[min(int(rng.expovariate(1 / 25)), TOPIC_WORDS - 1)] for _ in range(on_topic)
        ]
        words += rng.choices(language.words, k=size - general - on_topic)
        rng.shuffle(words)
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice(".....;!")

    def original(self) -> Doc:
        rng = self.rng
        code = "vi" if rng.random() < 0.7 else "id"
        topic = rng.randrange(TOPICS)
        if self.style == "call":
            # A small call's short forms: a short summary, two to four sentences, and the
            # form's stock sentences, closing formulas last.
            description = [self.sentence(code, topic, 6, 14) for _ in range(rng.randint(1, 3))]
            description += [f"{s}." for s, share in self.stock[code] if rng.random() < share]
            summary = [self.sentence(code, topic, 5, 10)]
        else:
            description = [self.sentence(code, topic) for _ in range(rng.randint(5, 12))]
            for _ in range(rng.randint(0, 3)):
                sentence = rng.choice(BOILERPLATE[code]) + "."
                description.insert(rng.randint(0, len(description)), sentence)
            summary = [self.sentence(code, topic) for _ in range(rng.randint(1, 3))]
        doc = Doc(
            code,
            topic,
            self.sentence(code, topic, 5, 10).rstrip(".;!"),
            summary,
            description,
        )
        return self.strip(doc) if rng.random() < 0.15 else doc

    # --- the ways a submission is copied ------------------------------------------------------

    def strip(self, doc: Doc) -> Doc:
        return doc.replace(
            strip_marks(doc.title),
            [strip_marks(s) for s in doc.summary],
            [strip_marks(s) for s in doc.description],
        )

    def reorder(self, doc: Doc) -> Doc:
        summary, description = doc.summary[:], doc.description[:]
        self.rng.shuffle(summary)
        self.rng.shuffle(description)
        if len(description) > 3 and self.rng.random() < 0.5:
            summary.append(description.pop())
        return doc.replace(doc.title, summary, description)

    def paraphrase(self, doc: Doc) -> Doc:
        """5–15 % of words replaced by a synonym; a few swapped, dropped or added."""
        rng, language = self.rng, self.languages[doc.language]
        rate = rng.uniform(0.05, 0.15)

        def rewrite(sentence: str) -> str:
            words, out, i = sentence.split(), [], 0
            while i < len(words):
                word, draw = words[i], rng.random()
                if draw < rate:
                    out.append(language.synonyms.get(word.strip(".;!").lower(), word))
                elif draw < rate + 0.02 and i + 1 < len(words):
                    out += [words[i + 1], word]
                    i += 1
                elif draw < rate + 0.03:
                    pass
                elif draw < rate + 0.04:
                    out += [word, rng.choice(language.words[:300])]
                else:
                    out.append(word)
                i += 1
            return " ".join(out) or sentence

        return doc.replace(
            rewrite(doc.title),
            [rewrite(s) for s in doc.summary],
            [rewrite(s) for s in doc.description],
        )

    def partial(self, doc: Doc) -> Doc:
        """50–85 % of the description copied (one block or scattered sentences), the rest new;
        the title and the summary kept or rewritten."""
        rng = self.rng
        n = len(doc.description)
        k = min(n, max(2, round(n * rng.uniform(0.5, 0.85))))
        if rng.random() < 0.5:
            start = rng.randint(0, n - k)
            description = doc.description[start : start + k]
        else:
            description = [doc.description[i] for i in sorted(rng.sample(range(n), k))]
        for _ in range(max(1, n - k)):
            sentence = self.sentence(doc.language, doc.topic)
            description.insert(rng.randint(0, len(description)), sentence)
        if self.style == "call":
            # A short form copied in part keeps its title and summary: with a one- or
            # two-sentence description there is little else to copy.
            return doc.replace(doc.title, doc.summary, description)
        summary = doc.summary if rng.random() < 0.5 else [self.sentence(doc.language, doc.topic)]
        title = (
            doc.title
            if rng.random() < 0.5
            else self.sentence(doc.language, doc.topic, 5, 10).rstrip(".;!")
        )
        return doc.replace(title, summary, description)

    def copyedit(self, doc: Doc) -> Doc:
        """Typos (0.5–2 % of characters), punctuation, capitals, decomposed Unicode."""
        rng = self.rng
        rate = rng.uniform(0.005, 0.02)
        semicolons, decomposed, capitals = (rng.random() < p for p in (0.5, 0.3, 0.2))

        def edit(text: str) -> str:
            out = []
            for ch in text:
                draw = rng.random()
                if draw < rate / 3:
                    continue
                out.append(
                    rng.choice("aeiounhtc")
                    if draw < 2 * rate / 3
                    else ch + ch
                    if draw < rate
                    else ch
                )
            text = "".join(out)
            text = text.replace(";", ",") if semicolons else text
            text = unicodedata.normalize("NFD", text) if decomposed else text
            return text.upper() if capitals else text

        return doc.replace(
            edit(doc.title), [edit(s) for s in doc.summary], [edit(s) for s in doc.description]
        )

    KINDS = ("strip", "reorder", "paraphrase", "partial", "copyedit")
    ORDER = ("partial", "reorder", "paraphrase", "copyedit", "strip")

    def derive(self, doc: Doc) -> tuple[Doc, tuple[str, ...]]:
        """One way of copying, and a second one half of the time."""
        kinds = {self.rng.choice(self.KINDS)}
        if self.rng.random() < 0.5:
            kinds.add(self.rng.choice(self.KINDS))
        ordered = tuple(kind for kind in self.ORDER if kind in kinds)
        for kind in ordered:
            doc = getattr(self, kind)(doc)
        return doc, ordered


@dataclass
class Planted:
    texts: list[str]
    truth: dict[Pair, tuple[str, ...]]  # (source, copy) → how it was copied
    family: list[int]  # the original each submission descends from
    held_out: list[str] = field(default_factory=list)
    call_size: int = 1_000  # submissions i·call_size … (i+1)·call_size − 1 are one call

    def call(self, i: int) -> int:
        return i // self.call_size

    def ignored(self, pair: Pair) -> bool:
        """Two copies of the same original are neither counted right nor wrong: whether they
        resemble each other depends on what each kept."""
        return pair not in self.truth and self.family[pair[0]] == self.family[pair[1]]


def plant(
    n: int, *, copies: float, checks: int, seed: int, style: str = "national", call_size: int = 1000
) -> Planted:
    corpus = Corpus(seed, style)
    rng = corpus.rng
    derived = set(rng.sample(range(n // 20, n), int(n * copies)))
    docs: list[Doc] = []
    family: list[int] = []
    truth: dict[Pair, tuple[str, ...]] = {}
    originals: list[int] = []
    copied: Counter[int] = Counter()
    for i in range(n):
        if i in derived:
            source = rng.choice(originals)
            while copied[source] >= 2:
                source = rng.choice(originals)
            copied[source] += 1
            doc, kinds = corpus.derive(docs[source])
            truth[(source, i)] = kinds
            family.append(family[source])
        else:
            doc = corpus.original()
            originals.append(i)
            family.append(i)
        docs.append(doc)
    held_out = [
        (corpus.derive(docs[rng.randrange(n)])[0] if k % 2 else corpus.original()).text()
        for k in range(checks)
    ]
    return Planted([d.text() for d in docs], truth, family, held_out, call_size)


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    found: set[Pair]
    build_seconds: float | None = None
    check_ms: list[float] = field(default_factory=list)
    note: str = ""

    def score(self, planted: Planted, within: Callable[[Pair], bool] | None = None):
        truth = {p for p in planted.truth if within is None or within(p)}
        found = {p for p in self.found if (within is None or within(p)) and not planted.ignored(p)}
        hits = len(found & truth)
        precision = hits / len(found) if found else 1.0
        recall = hits / len(truth) if truth else 1.0
        return recall, precision, len(truth), len(found) - hits


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# The boilerplate rules compared (`--rules`): (count in the whole index, largest count in one
# call) → boilerplate? "app" is `duplicates.is_boilerplate`, what the app runs.
RULES: dict[str, Callable[[int, int], bool] | None] = {
    "app": None,
    "corpus20": lambda corpus, call: corpus >= 20,  # the rule before issue #21
    **{f"call{k}": (lambda corpus, call, k=k: corpus >= 20 or call >= k) for k in range(3, 11)},
}


def rule_label(name: str, duplicates) -> str:
    if name == "app":
        return (
            f"app rule: ≥{duplicates.BOILERPLATE_SUBMISSIONS} in the index or "
            f"≥{duplicates.BOILERPLATE_IN_CALL} in one call"
        )
    if name == "corpus20":
        return "before #21: ≥20 in the index"
    return f"≥20 in the index or ≥{name[4:]} in one call"


def run_ours(planted: Planted, duplicates, rule: str = "app") -> tuple[Result, object]:
    index = duplicates.MemoryIndex(RULES[rule])
    found: set[Pair] = set()
    fingerprint_seconds = add_seconds = 0.0
    started = time.perf_counter()
    for i, text in enumerate(planted.texts):
        t0 = time.perf_counter()
        print_ = duplicates.fingerprint(text)
        t1 = time.perf_counter()
        for other, _similarity in index.query(text, print_):
            found.add((min(other, i), max(other, i)))
        t2 = time.perf_counter()
        sharing = index.add(i, text, print_, call=planted.call(i))
        if sharing:  # sentences just became boilerplate: earlier pairs scored again
            found -= index.settle({p for p in found if p[0] in sharing}, sharing)
        t3 = time.perf_counter()
        fingerprint_seconds += t1 - t0
        add_seconds += t3 - t2
        if i and i % 20_000 == 0:
            print(f"  ours: {i:,} indexed, {time.perf_counter() - started:.0f} s", flush=True)
    total = time.perf_counter() - started
    result = Result(
        "ours: c5 MinHash 64×2, ≥2 bands + exact" + ("" if rule == "app" else f" [{rule}]"),
        found,
        build_seconds=fingerprint_seconds + add_seconds,
        note=f"incremental pass with a check before each insert: {total:.0f} s",
    )
    return result, index


def time_checks(planted: Planted, check: Callable[[str], object]) -> list[float]:
    times = []
    for text in planted.held_out:
        started = time.perf_counter()
        check(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def shingle_sets(planted: Planted, duplicates) -> list:
    return [duplicates.shingles(duplicates.normalise(text)) for text in planted.texts]


def run_exhaustive(planted: Planted, duplicates, sample: list[int], sets: list) -> Result:
    """Exact scores of each sampled submission against every other: intersections as one
    sparse product per block of the sample (X · Xᵀ restricted to the sampled columns)."""
    import numpy as np
    from scipy import sparse

    sizes = np.array([len(s) for s in sets])
    values, columns = np.unique(np.concatenate(sets), return_inverse=True)
    del values
    rows = np.repeat(np.arange(len(sets)), sizes)
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)),
        shape=(len(sets), columns.max() + 1),
    )
    del rows, columns
    found: set[Pair] = set()
    times = []
    block = 100
    for start in range(0, len(sample), block):
        chosen = sample[start : start + block]
        started = time.perf_counter()
        common = (matrix @ matrix[chosen].T).toarray()
        elapsed = time.perf_counter() - started
        times.extend([elapsed * 1000 / len(chosen)] * len(chosen))
        for column, i in enumerate(chosen):
            intersection = common[:, column]
            union = sizes + sizes[i] - intersection
            jaccard = intersection / union
            smaller = np.minimum(sizes, sizes[i])
            containment = np.where(
                smaller >= duplicates.CONTAINMENT_MIN_SHINGLES,
                intersection / np.maximum(smaller, 1),
                0,
            )
            hits = np.nonzero(
                (jaccard >= duplicates.JACCARD_THRESHOLD)
                | (containment >= duplicates.CONTAINMENT_THRESHOLD)
            )[0]
            for other in hits:
                if other != i:
                    found.add((min(i, int(other)), max(i, int(other))))
    return Result(
        "exhaustive exact (sample)",
        found,
        check_ms=times,
        note=f"{len(sample):,} submissions × all {len(sets):,}; time per check is a block "
        f"product divided by {block}",
    )


def datasketch_minhashes(planted: Planted, sets: list, num_perm: int = 128) -> tuple[list, float]:
    from datasketch import MinHash

    started = time.perf_counter()
    hashes = []
    for values in sets:
        raw = values.astype("<u8").tobytes()
        minhash = MinHash(num_perm=num_perm)
        minhash.update_batch([raw[i : i + 8] for i in range(0, len(raw), 8)])
        hashes.append(minhash)
    return hashes, time.perf_counter() - started


def run_datasketch_lsh(
    planted: Planted, hashes: list, fingerprint_seconds: float, threshold: float | None = None
) -> Result:
    """The library's LSH alone: at its defaults, or at a threshold (it picks its own bands)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH() if threshold is None else MinHashLSH(threshold=threshold)
    found: set[Pair] = set()
    started = time.perf_counter()
    for i, minhash in enumerate(hashes):
        for other in lsh.query(minhash):
            found.add((other, i))
        lsh.insert(i, minhash)
    elapsed = time.perf_counter() - started
    result = Result(
        "datasketch MinHashLSH, defaults"
        if threshold is None
        else f"datasketch MinHashLSH, threshold {threshold}",
        found,
        build_seconds=fingerprint_seconds + elapsed,
        note=f"threshold {'0.9 (its default)' if threshold is None else threshold}, "
        f"128 permutations, {lsh.b} bands of {lsh.r}; its candidates are its answer",
    )
    result.lsh = lsh
    return result


def run_datasketch_ours(
    planted: Planted, duplicates, hashes: list, sets: list, fingerprint_seconds: float
) -> Result:
    """Our bands and our exact check on datasketch's MinHash and MinHashLSH."""
    import numpy as np
    from datasketch import MinHashLSH

    lsh = MinHashLSH(num_perm=128, params=(duplicates.BANDS, duplicates.ROWS))
    signatures = np.stack([h.hashvalues for h in hashes])
    counts = np.array([len(s) for s in sets])
    found: set[Pair] = set()
    started = time.perf_counter()
    for i, minhash in enumerate(hashes):
        candidates = sorted(lsh.query(minhash))
        if candidates:
            # datasketch answers any shared band; keep those sharing MIN_BAND_MATCHES, as ours
            shape = (duplicates.BANDS, duplicates.ROWS)
            same = signatures[candidates].reshape(-1, *shape) == signatures[i].reshape(shape)
            matches = same.all(axis=2).sum(axis=1)
            candidates = [
                c
                for c, m in zip(candidates, matches, strict=True)
                if m >= duplicates.MIN_BAND_MATCHES
            ]
        if candidates:
            jaccard = (signatures[candidates] == signatures[i]).mean(axis=1)
            common = jaccard * (counts[candidates] + counts[i]) / (1 + jaccard)
            smaller = np.minimum(counts[candidates], counts[i])
            containment = np.where(
                smaller >= duplicates.CONTAINMENT_MIN_SHINGLES, common / smaller, 0
            )
            for other, j, c in zip(candidates, jaccard, containment, strict=True):
                if (
                    j >= duplicates.ESTIMATE_JACCARD_FLOOR
                    or c >= duplicates.ESTIMATE_CONTAINMENT_FLOOR
                ):
                    other_set = duplicates.shingles(duplicates.normalise(planted.texts[other]))
                    if duplicates.similarity(sets[i], other_set).is_duplicate:
                        found.add((other, i))
        lsh.insert(i, minhash)
    elapsed = time.perf_counter() - started
    return Result(
        "datasketch MinHash+LSH 64×2, ≥2 + exact",
        found,
        build_seconds=fingerprint_seconds + elapsed,
        note="our bands and checks on the library's MinHash (SHA-1 per shingle)",
    )


def print_table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(line)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="submissions indexed")
    parser.add_argument("--copies", type=float, default=0.12, help="share that are copies")
    parser.add_argument("--sample", type=int, default=2_000, help="exhaustive sample size")
    parser.add_argument("--checks", type=int, default=1_000, help="timed held-out checks")
    parser.add_argument("--skip-datasketch", action="store_true")
    parser.add_argument(
        "--style",
        choices=["national", "call"],
        default="national",
        help="national: long texts, 0–3 stock sentences each; call: a small call's short forms, "
        "each stock sentence in 5–15 %% of them",
    )
    parser.add_argument("--call-size", type=int, default=1_000, help="submissions per call")
    parser.add_argument("--seed", type=int, default=SEED, help="of the generated corpus")
    parser.add_argument(
        "--rules",
        default="app",
        help="boilerplate rules to compare, comma-separated: app (what the app runs), corpus20 "
        "(before issue #21), call3 … call10",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import django

    django.setup()
    from thidua.initiatives import duplicates

    print(
        f"method {duplicates.METHOD}: {duplicates.NUM_PERM} permutations, "
        f"{duplicates.BANDS} bands of {duplicates.ROWS}; possible duplicate when Jaccard ≥ "
        f"{duplicates.JACCARD_THRESHOLD} or containment ≥ {duplicates.CONTAINMENT_THRESHOLD}"
    )
    started = time.perf_counter()
    planted = plant(
        args.n,
        copies=args.copies,
        checks=args.checks,
        seed=args.seed,
        style=args.style,
        call_size=args.call_size,
    )
    kinds = Counter("+".join(k) for k in planted.truth.values())
    print(
        f"generated {len(planted.texts):,} submissions ({len(planted.truth):,} planted copies, "
        f"mean {statistics.mean(len(t) for t in planted.texts):.0f} characters) in "
        f"{time.perf_counter() - started:.0f} s"
    )

    print(
        f"{args.style} style, calls of {args.call_size:,}; boilerplate rules: "
        + "; ".join(f"{name} = {rule_label(name, duplicates)}" for name in args.rules.split(","))
    )
    results = []
    for number, rule in enumerate(args.rules.split(",")):
        result, index = run_ours(planted, duplicates, rule)
        if number == 0:
            ours = result
            result.check_ms = time_checks(planted, index.query)
            counts = sorted(
                len(index.candidates(duplicates.fingerprint(t))) for t in planted.held_out
            )
            result.note += (
                f"; candidates per check (sharing ≥{duplicates.MIN_BAND_MATCHES} bands): median "
                f"{statistics.median(counts):.0f}, p95 {percentile(counts, 0.95):.0f}"
            )
        results.append(result)
        del index

    sets = shingle_sets(planted, duplicates)
    rng = random.Random(SEED + 1)
    sample = sorted(rng.sample(range(len(planted.texts)), min(args.sample, len(planted.texts))))
    sampled = set(sample)
    exhaustive = run_exhaustive(planted, duplicates, sample, sets)
    results.append(exhaustive)

    if not args.skip_datasketch:
        hashes, seconds = datasketch_minhashes(planted, sets)
        default = run_datasketch_lsh(planted, hashes, seconds)
        from datasketch import MinHash

        def check_default(text: str) -> object:
            values = duplicates.shingles(duplicates.normalise(text))
            raw = values.astype("<u8").tobytes()
            minhash = MinHash(num_perm=128)
            minhash.update_batch([raw[i : i + 8] for i in range(0, len(raw), 8)])
            return default.lsh.query(minhash)

        default.check_ms = time_checks(planted, check_default)
        del default.lsh
        results.append(default)
        low = run_datasketch_lsh(planted, hashes, seconds, duplicates.JACCARD_THRESHOLD)
        del low.lsh
        results.append(low)
        results.append(run_datasketch_ours(planted, duplicates, hashes, sets, seconds))
        del hashes

    def in_sample(pair: Pair) -> bool:
        return pair[0] in sampled or pair[1] in sampled

    rows = []
    for result in results:
        whole = result.score(planted) if result is not exhaustive else None
        part = result.score(planted, in_sample)
        rows.append(
            (
                result.name,
                f"{whole[0]:.4f}" if whole else "—",
                f"{whole[1]:.4f}" if whole else "—",
                str(whole[3]) if whole else "—",
                f"{part[0]:.4f}",
                f"{part[1]:.4f}",
                f"{result.build_seconds:.0f} s" if result.build_seconds is not None else "—",
                f"{statistics.median(result.check_ms):.1f}" if result.check_ms else "—",
                f"{percentile(result.check_ms, 0.95):.1f}" if result.check_ms else "—",
            )
        )
    print()
    print(
        f"{len(planted.truth):,} planted pairs; sample: {len(sample):,} submissions, "
        f"{results[0].score(planted, in_sample)[2]:,} planted pairs touch it"
    )
    print_table(
        rows,
        (
            "method",
            "recall",
            "precision",
            "false +",
            "recall (sample)",
            "precision (sample)",
            "index build",
            "check ms p50",
            "check ms p95",
        ),
    )
    for result in results:
        if result.note:
            print(f"- {result.name}: {result.note}")

    print(f"\nrecall by way of copying (ours, {args.rules.split(',')[0]}):")
    missed = Counter("+".join(k) for p, k in planted.truth.items() if p not in ours.found)
    print_table(
        [
            (kind, str(total), str(missed[kind]), f"{1 - missed[kind] / total:.4f}")
            for kind, total in sorted(kinds.items(), key=lambda item: -item[1])
        ],
        ("copied by", "pairs", "missed", "recall"),
    )


if __name__ == "__main__":
    main()
