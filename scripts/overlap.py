"""Find runs of words the site's pages share with a reference text (the article).

Usage::

    python scripts/overlap.py ARTICLE.txt docs/*.md [--words 8]

Both texts are reduced to lower-case words (letters, digits, apostrophes), with
fenced code blocks of the pages left out: code listings follow the article's
code on purpose, prose must be our own. Every run of ``--words`` consecutive
words that occurs in both is reported, merged into maximal runs, with the page
and line where it starts. Exit status 1 when any run is found, 0 otherwise.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_FENCE = re.compile(r"^\s*(```|~~~)")


def words(text: str) -> list[str]:
    """The text's words, lower-cased, typographic apostrophes made plain."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def prose_words(markdown: str) -> list[tuple[str, int]]:
    """Each word of the page outside fenced code, with its line number (1-based)."""
    out: list[tuple[str, int]] = []
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = _FENCE.match(line)
        if match and fence is None:
            fence = match.group(1)
            continue
        if fence is not None:
            if match and match.group(1) == fence:
                fence = None
            continue
        out.extend((word, number) for word in words(line))
    return out


def shared_runs(
    reference: Sequence[str], page: Sequence[tuple[str, int]], n: int
) -> list[tuple[int, str]]:
    """Maximal runs of at least ``n`` words of ``page`` found in ``reference``."""
    grams = {tuple(reference[i : i + n]) for i in range(len(reference) - n + 1)}
    tokens = [w for w, _ in page]
    hits = [i for i in range(len(tokens) - n + 1) if tuple(tokens[i : i + n]) in grams]
    runs: list[tuple[int, str]] = []
    start = end = -1
    for i in hits:
        if i <= end:  # overlaps the current run: extend it
            end = i + n
            continue
        if start >= 0:
            runs.append((page[start][1], " ".join(tokens[start:end])))
        start, end = i, i + n
    if start >= 0:
        runs.append((page[start][1], " ".join(tokens[start:end])))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", type=Path, help="the reference text (the article)")
    parser.add_argument("pages", type=Path, nargs="+", help="Markdown pages to compare")
    parser.add_argument("--words", type=int, default=8, help="run length (default 8)")
    args = parser.parse_args(argv)
    if args.words < 2:
        parser.error(f"--words must be at least 2, got {args.words}")
    reference = words(args.reference.read_text(encoding="utf-8"))
    found = 0
    for path in args.pages:
        for line, run in shared_runs(
            reference, prose_words(path.read_text(encoding="utf-8")), args.words
        ):
            found += 1
            print(f"{path}:{line}: {run}")
    print(f"{found} shared run(s) of {args.words} or more words")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
