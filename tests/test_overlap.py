"""scripts/overlap.py finds runs of words a page shares with a reference text."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_pages import ROOT  # noqa: F401  (puts the repository root on sys.path)

from scripts.overlap import main, prose_words, shared_runs, words

REFERENCE = "The quick brown fox jumps over the lazy dog while the cat sleeps all day long."


def test_a_shared_run_is_reported_once_at_its_full_length_with_its_line() -> None:
    page = prose_words("Intro line.\nSee: the quick brown fox jumps over the lazy dog, twice.\n")
    # 9 shared words "the quick ... dog": one run, starting on line 2
    assert shared_runs(words(REFERENCE), page, 8) == [
        (2, "the quick brown fox jumps over the lazy dog")
    ]


def test_a_run_shorter_than_the_threshold_is_not_reported() -> None:
    page = prose_words("A quick brown fox jumps over a lazy dog.")  # 5 shared words at most
    assert shared_runs(words(REFERENCE), page, 6) == []


def test_code_blocks_are_left_out() -> None:
    page = prose_words(
        "Our words.\n\n```python\n# the quick brown fox jumps over the lazy dog\n```\n"
    )
    assert [w for w, _ in page] == ["our", "words"]


def test_typographic_apostrophes_match_plain_ones() -> None:
    assert words("Let’s dig in") == words("Let's dig in") == ["let's", "dig", "in"]


def test_exit_status_says_whether_a_run_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, page = tmp_path / "ref.txt", tmp_path / "page.md"
    reference.write_text(REFERENCE, encoding="utf-8")
    page.write_text("nothing in common here at all, none of it, not one run\n", encoding="utf-8")
    assert main([str(reference), str(page)]) == 0
    page.write_text("while the cat sleeps all day long, we write\n", encoding="utf-8")
    assert main([str(reference), str(page), "--words", "6"]) == 1
    assert "page.md:1: while the cat sleeps all day long" in capsys.readouterr().out
