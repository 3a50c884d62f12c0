"""The pytest plugin: every ``*.nbn.toml`` file is a test file, every claim a test.

Installing nbn enables it (entry point ``pytest11``: ``nbn-check``), so
``pytest DIR`` collects every worked-example file under ``DIR`` in any project.
Each claim is one item named by its expression; ``reportinfo`` points at the
claim's line in the file. An item passes when its claim agrees; a claim with a
verdict in the file's ``[expect]`` table passes only with exactly that verdict
and is reported as an expected failure (``xfail``) with the reason, like a
strict ``xfail`` (an expected ``agrees`` is an ordinary pass). A failing item
reads like the CLI's line, after the claim's ``file:line``: stated and exact
values, the verdict, and where the error came from: ``the first wrong step``,
``carried from X`` or ``carried from the rounded inputs X``.

The whole file is checked once, when it is collected: a file that cannot be
checked (bad input, a bound exceeded, a value nbn cannot judge) is one
collection error whose message is the CLI's one line, and never aborts the
session. This module imports only pytest at import time; SymPy is imported when
a file is checked, so the plugin costs nothing in test runs that have no
worked-example files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import SUFFIX

if TYPE_CHECKING:
    from .checker import ClaimResult, Report
    from .load import Claim

__all__ = ["ClaimItem", "WorkedExampleFile", "pytest_collect_file"]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect ``*.nbn.toml`` files as :class:`WorkedExampleFile`."""
    if file_path.name.endswith(SUFFIX):
        collector: WorkedExampleFile = WorkedExampleFile.from_parent(parent, path=file_path)
        return collector
    return None


class ClaimFailed(Exception):  # noqa: N818 - pytest's wording: the claim failed
    """A claim whose verdict is not ``agrees`` (nor its expected verdict)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkedExampleFile(pytest.File):
    """One worked-example file: one item per claim, the file checked once."""

    _report: Report | None = None
    _error: str | None = None

    def collect(self) -> Any:
        from .checker import check_example
        from .errors import CheckError, OracleDisagreementError
        from .load import load

        # the whole check runs here: a file that cannot be checked is one collection
        # error with one line, not one traceback per claim (nor an aborted session)
        try:
            self.example = load(self.path)
            self._report = check_example(self.example)
        except (CheckError, OracleDisagreementError) as error:
            raise self.CollectError(f"nbn check: {error}") from None
        except (MemoryError, RecursionError) as error:
            raise self.CollectError(
                f"nbn check: {self.path}: past nbn's limits ({type(error).__name__})"
            ) from None
        for index, claim in enumerate(self.example.written_claims):
            yield ClaimItem.from_parent(self, name=claim.text, claim=claim, index=index)

    def report(self) -> Report:
        """The check of the whole file (computed once); raises :class:`ClaimFailed`
        if the file cannot be checked."""
        from .checker import check_example
        from .errors import CheckError, OracleDisagreementError

        if self._report is None and self._error is None:
            try:
                self._report = check_example(self.example)
            except (CheckError, OracleDisagreementError) as error:
                self._error = f"nbn check: {error}"
        if self._report is None:
            raise ClaimFailed(self._error or "nbn check: the file could not be checked")
        return self._report


class ClaimItem(pytest.Item):
    """One claim of a worked-example file."""

    def __init__(self, *, claim: Claim, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self.index = index

    def runtest(self) -> None:
        from .report import claim_line

        parent = self.parent
        if not isinstance(parent, WorkedExampleFile):  # pragma: no cover - from_parent above
            raise TypeError("a ClaimItem belongs to a WorkedExampleFile")
        result: ClaimResult = parent.report().results[self.index]
        # an expected "agrees" is an ordinary pass; only a non-agreeing verdict is xfail
        if result.expected not in (None, "agrees") and result.verdict == result.expected:
            pytest.xfail(f"expected verdict {result.expected}: {claim_line(result)}")
        if not result.ok:
            place = f"{self.path}:{self.claim.line}" if self.claim.line else str(self.path)
            raise ClaimFailed(f"{place}: {claim_line(result)}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ClaimFailed):
            return excinfo.value.message
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.claim.line - 1 if self.claim.line is not None else None
        return self.path, line, f"{self.path.name}: {self.name}"
