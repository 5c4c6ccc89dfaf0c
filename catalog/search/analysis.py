"""Text analysis for product search: jieba words, a stop list, synonyms, pinyin and character grams.

The Whoosh schema pickles `ChineseTokenizer` by its import path, so this module's name and the
class name must stay as they are (renaming them makes every existing index unreadable until
`flask search rebuild`). Only catalog/search*.py modules use jieba and pypinyin.

jieba is initialised once per process (`init_jieba`), with its dictionary cache in the instance
folder and our own words (catalog/data/search_words.txt, plus every synonym) added, so that the
indexer and every web worker cut text the same way.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin
from whoosh.analysis import LowercaseFilter, StopFilter, Token, Tokenizer

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"  # catalog/data
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORDLIKE = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff]")
# Pinyin runs longer than this many characters are not indexed: people type a word or a short
# name ("hetiandazao"), not a whole title.
MAX_PINYIN_CHARS = 8


def _data_lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def data_fingerprint() -> str:
    """Changes when a word list changes: an index built with other lists should be rebuilt."""
    digest = hashlib.sha1()
    for name in ("stopwords.txt", "search_words.txt", "synonyms.txt"):
        digest.update((DATA / name).read_bytes())
    return digest.hexdigest()[:12]


STOP_WORDS = frozenset(word for line in _data_lines("stopwords.txt") for word in line.split())


# ---- synonyms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Synonyms:
    """Equivalent words (土豆 = 马铃薯 = 洋芋) and broader → narrower words (红枣 ⊃ 骏枣).

    Expansion happens when indexing: a product whose title says 马铃薯 is also found by 土豆, and
    one that says 骏枣 is also found by 红枣 and 大枣 (a 骏枣 is a 红枣), but not the other way round.
    """

    groups: dict[str, frozenset[str]] = field(default_factory=dict)  # word -> its equivalents (itself included)
    broader: dict[str, frozenset[str]] = field(default_factory=dict)  # narrow word -> broader words

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Synonyms:
        groups: dict[str, set[str]] = {}
        broader: dict[str, set[str]] = {}
        for line in lines:
            if "=>" in line:
                wide, narrow = line.split("=>", 1)
                for narrow_word in _split_words(narrow):
                    broader.setdefault(narrow_word, set()).update(_split_words(wide))
                continue
            words = set(_split_words(line))
            for word in list(words):
                words |= groups.get(word, set())
            for word in words:
                groups[word] = words
        return cls(
            groups={w: frozenset(g) for w, g in groups.items()},
            broader={w: frozenset(b) for w, b in broader.items()},
        )

    def expand(self, word: str) -> frozenset[str]:
        """The other words that should find a text containing `word` (without `word` itself)."""
        out: set[str] = set()
        todo, seen = [word], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            equivalents = self.groups.get(current, frozenset({current}))
            out |= equivalents
            for equivalent in equivalents:
                todo.extend(self.broader.get(equivalent, ()))
        out.discard(word)
        return frozenset(out)

    def words(self) -> set[str]:
        return set(self.groups) | set(self.broader) | {w for ws in self.broader.values() for w in ws}


def _split_words(text: str) -> list[str]:
    return [w.strip().lower() for w in re.split(r"[,，、\s]+", text) if w.strip()]


@functools.cache
def synonyms() -> Synonyms:
    return Synonyms.parse(_data_lines("synonyms.txt"))


@functools.lru_cache(maxsize=16384)
def expansions(word: str) -> frozenset[str]:
    """`synonyms().expand(word)`, cached (the indexer asks for every word of every title)."""
    return synonyms().expand(word)


# ---- jieba -------------------------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_ready = False
_cache_dir: str | None = None


def set_cache_dir(path: str) -> None:
    """Where jieba keeps its dictionary cache (the instance folder); read by `init_jieba`."""
    global _cache_dir
    _cache_dir = path


def init_jieba(cache_dir: str | None = None) -> None:
    """Load jieba's dictionary once per process (≈1 s; the cache file goes to the instance folder)
    and add our words. Under gunicorn --preload the master calls it, so workers share the memory."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        cache_dir = cache_dir or _cache_dir
        jieba.setLogLevel(logging.WARNING)
        if cache_dir:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = cache_dir
        jieba.initialize()
        for line in _data_lines("search_words.txt"):
            word, *rest = line.split()
            jieba.add_word(word, freq=int(rest[0]) if rest else None)
        for word in sorted(synonyms().words()):
            jieba.add_word(word)
        _jieba_ready = True
        search_tokens.cache_clear()
        pinyin_runs.cache_clear()
        log.debug("jieba ready (cache in %s)", cache_dir or "the temp folder")


def _is_word(text: str) -> bool:
    return bool(_WORDLIKE.search(text))


@functools.lru_cache(maxsize=8192)
def search_tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """jieba's search-mode words of `text` with their character spans (long words also yield the
    shorter words inside them: 马铃薯 → 马铃, 马铃薯). Lower-cased; punctuation and spaces dropped.
    Cached: the indexer cuts each title twice (words, then pinyin and synonym spans)."""
    init_jieba()
    return tuple((w.lower(), s, e) for w, s, e in jieba.tokenize(text, mode="search") if _is_word(w))


def query_words(text: str) -> list[str]:
    """The words of a search box entry (jieba's precise mode), without stop words or repeats."""
    init_jieba()
    out: list[str] = []
    for word in jieba.cut(text.lower()):
        word = word.strip()
        if _is_word(word) and word not in STOP_WORDS and word not in out:
            out.append(word)
    return out


class ChineseTokenizer(Tokenizer):
    """A Whoosh tokenizer over jieba's search mode (the schema pickles this class by name)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end) in enumerate(search_tokens(value)):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def chinese_analyzer():
    # minsize=1: Whoosh's default (2) would drop every one-character Chinese word (米, 茶, 梨).
    return ChineseTokenizer() | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1)


# ---- index-time expansions: synonyms, pinyin, character grams ----------------------------------


def synonym_words(text: str) -> set[str]:
    """Words a text should also be found by (its words' synonyms and broader words)."""
    own = {w for w, _, _ in search_tokens(text)}
    found: set[str] = set()
    for word in own:
        found |= expansions(word)
    return found - own


@functools.lru_cache(maxsize=16384)
def syllables(run: str) -> tuple[str, ...]:
    """One syllable per character of a Chinese run; pypinyin picks each reading from the words
    around it (和田 → he tian). Cached: pypinyin takes ~0.1 ms a call and names repeat."""
    spelled = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: list(chars))
    if len(spelled) != len(run):
        spelled = [lazy_pinyin(ch, errors=lambda c: list(c))[0] for ch in run]
    return tuple(spelled)


@dataclass(frozen=True)
class PinyinRun:
    """Characters text[start:end] spelled `full` (hetiandazao) with initials `initials` (htdz;
    empty for one character); `via_synonym` when a synonym of a word there spells it."""

    full: str
    initials: str
    start: int
    end: int
    via_synonym: bool


def _runs(
    spelled: Sequence[str], origin: Sequence[int], ends: Sequence[int], via_synonym: bool, cover: tuple[int, int] | None
) -> Iterator[PinyinRun]:
    # origin[i]/ends[i]: the text span of syllable i (a synonym's syllables all map to its word).
    n = len(spelled)
    for i in range(n):
        for j in range(i + 1, min(n, i + MAX_PINYIN_CHARS) + 1):
            if cover and not (i <= cover[0] and j >= cover[1]):
                continue
            initials = "".join(s[0] for s in spelled[i:j]) if j - i >= 2 else ""
            yield PinyinRun("".join(spelled[i:j]), initials, origin[i], ends[j - 1], via_synonym)


@functools.lru_cache(maxsize=8192)
def pinyin_runs(text: str) -> tuple[PinyinRun, ...]:
    """Every run of up to MAX_PINYIN_CHARS Chinese characters of `text`, spelled out; synonyms of
    its words add their own runs (骏枣 in 和田骏枣 also spells hetiandazao, htdz)."""
    out: list[PinyinRun] = []
    runs = [(m.start(), syllables(m.group())) for m in HAN.finditer(text)]
    for run_start, spelled in runs:
        positions = range(run_start, run_start + len(spelled))
        out.extend(_runs(spelled, positions, [p + 1 for p in positions], False, None))
    for word, start, end in search_tokens(text):
        alternatives = [alt for alt in expansions(word) if HAN.fullmatch(alt)]
        for run_start, spelled in runs:
            if not (run_start <= start and end <= run_start + len(spelled)):
                continue
            # A few characters of context on each side: enough for "place + product" names.
            left_from, right_to = max(run_start, start - 3), min(run_start + len(spelled), end + 3)
            left = spelled[left_from - run_start : start - run_start]
            right = spelled[end - run_start : right_to - run_start]
            for alt in alternatives:
                middle = syllables(alt)
                origin = [*range(left_from, start), *([start] * len(middle)), *range(end, right_to)]
                ends = [*range(left_from + 1, start + 1), *([end] * len(middle)), *range(end + 1, right_to + 1)]
                cover = (len(left), len(left) + len(middle))
                out.extend(_runs((*left, *middle, *right), origin, ends, True, cover))
            break
    return tuple(out)


def pinyin_terms(text: str) -> tuple[set[str], set[str], set[str]]:
    """Index terms: full spellings, initials, and both kinds spelled through synonyms. Each run is
    one exact term, so `hetiandazao` and `htdz` need no prefix or wildcard query (those are slow)."""
    full: set[str] = set()
    initials: set[str] = set()
    via_synonym: set[str] = set()
    for run in pinyin_runs(text):
        if run.via_synonym:
            via_synonym.add(run.full)
            if run.initials:
                via_synonym.add(run.initials)
        else:
            full.add(run.full)
            if run.initials:
                initials.add(run.initials)
    return full, initials, via_synonym - full - initials


@functools.lru_cache(maxsize=4096)
def place_pinyin(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """A place name's whole spelling and initials (dingxi, dx): places repeat, so cached."""
    spelled = syllables(name) if HAN.fullmatch(name) else []
    if not spelled:
        return frozenset(), frozenset()
    return frozenset({"".join(spelled)}), frozenset({"".join(s[0] for s in spelled)} if len(spelled) > 1 else ())


def char_grams(text: str) -> set[str]:
    """Single characters and character pairs of the Chinese runs: a word jieba cut badly
    (彭水 in 彭水晶丝苕粉) is still found as a run of pairs."""
    out: set[str] = set()
    for match in HAN.finditer(text):
        run = match.group()
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def query_grams(word: str) -> list[str]:
    """The character pairs a title must hold to contain `word` ([] when `word` is not Chinese)."""
    if not HAN.fullmatch(word):
        return []
    return [word] if len(word) == 1 else [word[i : i + 2] for i in range(len(word) - 1)]


def to_pinyin(text: str) -> str:
    """The full spelling of the Chinese characters in `text` ('' when it has none)."""
    return "".join(s for match in HAN.finditer(text) for s in syllables(match.group()))


def is_pinyin_like(word: str) -> bool:
    return word.isascii() and word.isalpha()
