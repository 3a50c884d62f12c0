"""The distribution name: ``pip install nbn`` installs another project, so nbn ships
under its own name, and every install line, extra and hint says that name."""

from __future__ import annotations

import re
import sys
from importlib.metadata import distribution
from pathlib import Path

from nbn.cli import DISTRIBUTION

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

# The name on the package index that belongs to another project (the issue: nbn 0.26.0,
# "PyTorch-native Bayesian Networks").
TAKEN = "nbn"


def test_the_distribution_is_not_named_like_the_other_project() -> None:
    assert PROJECT["name"] != TAKEN
    assert PROJECT["name"] == DISTRIBUTION  # the name the CLI's install hints print


def test_the_import_name_and_the_command_stay_nbn() -> None:
    assert PROJECT["scripts"] == {"nbn": "nbn.cli:main"}
    installed = distribution(PROJECT["name"])
    scripts = {e.name: e.value for e in installed.entry_points if e.group == "console_scripts"}
    assert scripts == {"nbn": "nbn.cli:main"}


def test_extras_refer_to_the_project_by_its_name() -> None:
    requirements = [r for extra in PROJECT["optional-dependencies"].values() for r in extra]
    own = [r for r in requirements if re.match(r"nbn\b", r)]
    assert own, "the dev extra installs the other extras through the project's name"
    for requirement in own:
        assert requirement.startswith(f"{PROJECT['name']}["), requirement


def _texts() -> list[Path]:
    docs = sorted((ROOT / "docs").glob("*.md"))
    code = sorted((ROOT / "nbn").rglob("*.py")) + sorted((ROOT / "scripts").glob("*"))
    return [ROOT / "README.md", *docs, *(p for p in code if p.is_file())]


def test_no_install_line_names_the_other_project() -> None:
    bare = re.compile(r"pip install\s+['\"]?nbn(?![\w-])")
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in _texts()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if bare.search(line)
    ]
    assert found == []


def test_the_readme_says_the_name_first() -> None:
    head = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:8])
    assert f"`{PROJECT['name']}`" in head
