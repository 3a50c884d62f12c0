"""The checker's errors: a file that cannot be checked, and a bug in nbn itself.

:class:`CheckError` is the user's error (exit status 2): its message names the
file, the table and key, what was expected and what was given, so that an author
can fix the file without reading a traceback. :class:`OracleDisagreementError` is
nbn's own error: two independent oracles computed different values, so one of
them is wrong, and no verdict can be trusted.
"""

from __future__ import annotations

__all__ = ["CheckError", "OracleDisagreementError", "where"]


def where(file: str, table: str | None = None, key: str | None = None) -> str:
    """``file``, ``file [table]`` or ``file [table] key 'k'``: the place an error names."""
    text = str(file)
    if table is not None:
        text += f" [{table}]"
    if key is not None:
        text += f" key {key!r}"
    return text


class CheckError(ValueError):
    """A worked-example file that cannot be checked (bad input, or a bound exceeded).

    Parameters
    ----------
    file : str
        The file's path as the user gave it.
    table : str or None
        The TOML table (``"given"``, ``"define"``, ``"train"``, ``"claims"``,
        ``"expect"``) or ``None`` for the whole file.
    key : str or None
        The key in that table.
    problem : str
        What is wrong, with what was expected and what was given.
    line : int or None
        The line in the file, where known.
    """

    def __init__(
        self,
        file: str,
        table: str | None,
        key: str | None,
        problem: str,
        line: int | None = None,
    ) -> None:
        self.file = str(file)
        self.table = table
        self.key = key
        self.problem = problem
        self.line = line
        place = where(self.file, table, key)
        if line is not None:
            place = f"{place} (line {line})"
        super().__init__(f"{place}: {problem}")


class OracleDisagreementError(RuntimeError):
    """Independent oracles disagree on a value: a bug in nbn, not in the worked example.

    No verdict is given when this is raised; the message names the claim, each
    oracle's value and the tolerance, and asks for a bug report.
    """
