"""Build the nbn site with MkDocs or Zensical, then audit what was built.

Used by ``scripts/docs`` and by the docs tests, so that both build the same way:

* the pages' support code (``docs/_support``: ``common``, the figures, the
  Markdown extension ``claim_macros``) is put on ``PYTHONPATH`` of the engine's
  process: neither engine needs a hook to import it;
* MathJax is copied from the ``django-static-mathjax`` package into
  ``docs/assets/mathjax/`` (ignored by git) before the build, so both engines
  copy it into the site like any other asset, and the live-reload servers
  serve it too;
* the engine runs in a subprocess, strict or not (``strict=False`` is how the
  tests prove that the audit holds without the engine's own strictness); its
  exit status is what counts, never the presence of the site directory;
* the audit (``scripts/audit_site.py``) then scans the built HTML.

Command line (from the repository root)::

    python -m scripts.build_site build [--engine mkdocs|zensical] [--site-dir DIR]
                                       [--no-strict] [--no-audit]
    python -m scripts.build_site live [--engine mkdocs|zensical] [--port N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SUPPORT = DOCS / "_support"
MKDOCS_YML = ROOT / "mkdocs.yml"
ENGINES = ("mkdocs", "zensical")

#: The MathJax bundle the pages load (``extra_javascript`` in mkdocs.yml). The
#: "-full" build includes every TeX extension, so it never fetches more files.
MATHJAX_BUNDLE = "tex-svg-full.js"
MATHJAX_TARGET = DOCS / "assets" / "mathjax" / MATHJAX_BUNDLE

#: Zensical takes the site directory from its configuration only, and wants it
#: inside the project: it builds from a generated copy of mkdocs.yml into this
#: directory, and the site is then moved where it was asked for.
ZENSICAL_CONFIG = ROOT / ".nbn-zensical.yml"
ZENSICAL_SITE = ".nbn-zensical-site"


@dataclass(frozen=True)
class Build:
    """The result of one build: the engine's exit status and output, and its times.

    ``seconds`` is the wall-clock time; ``cpu_seconds`` the processor time of the
    engine's process (user and system, all threads), which other work on a
    shared machine disturbs less.
    """

    engine: str
    site: Path
    returncode: int
    output: str
    seconds: float
    cpu_seconds: float = 0.0


def mathjax_source() -> Path:
    """Path of MathJax's ``tex-svg-full.js`` inside the installed django-static-mathjax."""
    try:
        import mathjax  # the django-static-mathjax distribution
    except ImportError as exc:
        raise RuntimeError(
            "the docs need the package django-static-mathjax (pip install -e '.[docs]')"
        ) from exc
    source = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    source = source / MATHJAX_BUNDLE
    if not source.is_file():
        raise RuntimeError(f"MathJax bundle not found at {source}")
    return source


def install_mathjax() -> Path:
    """Copy MathJax into ``docs/assets/mathjax/`` (if it is missing or differs)."""
    source = mathjax_source()
    if not MATHJAX_TARGET.is_file() or MATHJAX_TARGET.read_bytes() != source.read_bytes():
        MATHJAX_TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, MATHJAX_TARGET)
    return MATHJAX_TARGET


def engine_env() -> dict[str, str]:
    """The environment of an engine's process: ``docs/_support`` importable."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    paths = [str(SUPPORT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def _set_key(text: str, key: str, value: str) -> str:
    """``text`` (YAML) with the top-level ``key: ...`` line set to ``value``."""
    line = re.compile(rf"^{key}:.*$", re.M)
    if line.search(text):
        return line.sub(f"{key}: {value}", text, count=1)
    return f"{text.rstrip()}\n{key}: {value}\n"


def zensical_config_text(mkdocs_yml: str, *, strict: bool) -> str:
    """The configuration Zensical builds from: ``mkdocs_yml`` with our site dir and strictness."""
    text = _set_key(mkdocs_yml, "site_dir", ZENSICAL_SITE)
    return _set_key(text, "strict", "true" if strict else "false")


def zensical_config(*, strict: bool) -> Path:
    """Write Zensical's configuration (:func:`zensical_config_text` of mkdocs.yml)."""
    text = zensical_config_text(MKDOCS_YML.read_text(encoding="utf-8"), strict=strict)
    ZENSICAL_CONFIG.write_text(text, encoding="utf-8")
    return ZENSICAL_CONFIG


def _engine_script(engine: str, argv: list[str], prelude: str) -> str:
    main = (
        "from mkdocs.__main__ import cli" if engine == "mkdocs" else "from zensical.main import cli"
    )
    return f"{prelude}\nimport sys\n{main}\nsys.argv = {argv!r}\ncli()\n"


def build(
    engine: str = "mkdocs",
    site: Path | str = ROOT / "site",
    *,
    strict: bool = True,
    prelude: str = "",
    timeout: float = 1200.0,
) -> Build:
    """Build the site with ``engine`` into ``site``; return the engine's verdict.

    ``prelude`` is Python run in the engine's process before it starts (the
    tests break a function of nbn this way). With ``strict=False`` the engine's
    own strict mode is off, so that only the audit stands between a broken page
    and a passing build.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    site = Path(site).resolve()
    install_mathjax()
    if engine == "mkdocs":
        argv = ["mkdocs", "build", "--clean", "--site-dir", str(site)]
        argv.append("--strict" if strict else "--no-strict")
    else:
        config = zensical_config(strict=strict)
        argv = ["zensical", "build", "--clean", "--config-file", config.name]
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _engine_script(engine, argv, prelude)],
            cwd=ROOT,
            env=engine_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        if engine == "zensical":
            ZENSICAL_CONFIG.unlink(missing_ok=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if engine == "zensical":
        built = ROOT / ZENSICAL_SITE
        if site.exists():
            shutil.rmtree(site)
        if built.exists():
            site.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(built), str(site))
    return Build(engine, site, proc.returncode, proc.stdout + proc.stderr, seconds, cpu)


def live(engine: str, port: int) -> int:
    """The engine's own development server, reloading pages as they are edited."""
    install_mathjax()
    address = f"127.0.0.1:{port}"
    if engine == "mkdocs":
        argv = ["mkdocs", "serve", "--dev-addr", address]
    else:
        argv = ["zensical", "serve", "--config-file", MKDOCS_YML.name, "--dev-addr", address]
    os.chdir(ROOT)
    os.execvpe(
        sys.executable, [sys.executable, "-c", _engine_script(engine, argv, "")], engine_env()
    )
    return 0  # not reached: exec replaces this process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build_site", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site, then audit it")
    b.add_argument("--engine", choices=ENGINES, default="mkdocs")
    b.add_argument("--site-dir", default="site", type=Path)
    b.add_argument("--no-strict", dest="strict", action="store_false")
    b.add_argument("--no-audit", dest="audit", action="store_false")
    s = sub.add_parser("live", help="the engine's live-reloading server")
    s.add_argument("--engine", choices=ENGINES, default="mkdocs")
    s.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "live":
        return live(args.engine, args.port)

    print(f"docs: building the site with {args.engine} into {args.site_dir}", flush=True)
    result = build(args.engine, args.site_dir, strict=args.strict)
    sys.stdout.write(result.output)
    if result.returncode != 0:
        print(
            f"docs: {args.engine} BUILD FAILED (exit status {result.returncode}; "
            f"{args.site_dir} is incomplete)",
            file=sys.stderr,
        )
        return 1
    print(
        f"docs: {args.engine} build passed in {result.seconds:.1f} s "
        f"({result.cpu_seconds:.1f} s of processor time)"
    )
    if not args.audit:
        return 0
    from scripts.audit_site import audit, format_report

    start = time.perf_counter()
    problems = audit(result.site, MKDOCS_YML)
    elapsed = time.perf_counter() - start
    if problems:
        print(format_report(problems, result.site), file=sys.stderr)
        print(f"docs: AUDIT FAILED: {len(problems)} problem(s) in {args.site_dir}", file=sys.stderr)
        return 1
    print(f"docs: audit of {args.site_dir} passed in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
