"""Write the hostile-file corpus: ``tests/hostile/*.nbn.toml`` and ``expected.json``.

Run ``python tests/hostile/make_corpus.py`` from the repository root; it rewrites
every file (the output is deterministic, so a diff shows what changed). Each file
belongs to one class (its name starts with the class); ``expected.json`` says, per
file, the exit statuses that are right and, where the right answer is known by
hand, the verdict of some claims (checked when the file is judged, exit 0 or 1).
The reasoning behind each known answer is written in the file's own comments.

Exit statuses: 0 every claim agrees, 1 some claim does not, 2 nbn cannot judge
the file. ``REFUSE`` (exit 2 only) is for malformed files; ``JUDGE_OR_REFUSE``
(0 or 2, and if judged the verdicts listed) for files nbn may reasonably decline
(values beyond float64, huge exponents) but must not judge wrongly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mpmath

HERE = Path(__file__).resolve().parent
mpmath.mp.dps = 60

OK = [0]
FAIL = [1]
REFUSE = [2]
JUDGE_OR_REFUSE = [0, 2]
FAIL_OR_REFUSE = [1, 2]
ANY = [0, 1, 2]

CORPUS: dict[str, dict[str, Any]] = {}
RAW: dict[str, bytes] = {}


def add(
    name: str,
    text: str | bytes,
    exit: list[int],
    verdicts: dict[str, str] | None = None,
    args: list[str] | None = None,
) -> None:
    """One corpus file and what is right for it."""
    assert name not in CORPUS, name
    filename = f"{name}.nbn.toml"
    RAW[filename] = text if isinstance(text, bytes) else text.encode("utf-8")
    if b'= "?"' in RAW[filename]:  # a claim not filled in yet does not agree: exit 1
        exit = sorted({1 if status == 0 else status for status in exit})
    CORPUS[filename] = {"exit": exit, "verdicts": verdicts or {}, "args": args or []}


def toml(
    given: dict[str, str],
    define: dict[str, str] | None = None,
    claims: dict[str, str] | None = None,
    train: str | None = None,
    comment: str = "",
    title: str = "hostile",
) -> str:
    """A worked-example file from its parts (values are written as TOML strings)."""
    lines = [f"# {line}" for line in comment.splitlines()]
    lines.append(f'title = "{title}"')
    lines.append("[given]")
    lines += [f'{k} = "{v}"' for k, v in given.items()]
    if define:
        lines.append("[define]")
        lines += [f'{k} = "{v}"' for k, v in define.items()]
    if train:
        lines.append("[train]")
        lines.append(train)
    lines.append("[claims]")
    lines += [f'"{k}" = "{v}"' for k, v in (claims or {}).items()]
    return "\n".join(lines) + "\n"


def sig(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


def rounded(x: Any, digits: int = 6) -> str:
    """``x`` correctly rounded to ``digits`` significant digits, in e-notation."""
    return mpmath.nstr(mpmath.mpf(x), digits)


def tracebacks() -> None:
    add(
        "trace-sqrt-at-zero",
        toml(
            {"b": "0"},
            {"s": "sqrt(b)"},
            {"s": "0"},
            comment="sqrt(0) = 0 exactly: the claim agrees.",
        ),
        OK,
        {"s": "agrees"},
    )
    add(
        "trace-grad-sqrt-at-zero",
        toml(
            {"b": "0"},
            {"s": "sqrt(b)"},
            {"grad(s, b)": "1"},
            comment="d sqrt(b)/db = 1/(2 sqrt b) is unbounded at b = 0: nbn cannot judge it.",
        ),
        REFUSE,
    )
    add(
        "trace-relu-log-relu-at-zero",
        toml(
            {"x": "0"},
            {"r": "relu(log(relu(x)))"},
            {"r": "0"},
            comment="log(relu(0)) = log(0) is undefined: cannot judge.",
        ),
        REFUSE,
    )
    add(
        "trace-relu-log-relu-at-two",
        toml(
            {"x": "2"},
            {"r": "relu(log(relu(x)))"},
            {"r": "0.6931"},
            comment="relu(log(2)) = 0.693147...: 0.6931 agrees.",
        ),
        OK,
        {"r": "agrees"},
    )
    add(
        "trace-times-1e99-four-times",
        toml(
            {"x": "1"},
            {"y": "x * 1e99 * 1e99 * 1e99 * 1e99"},
            {"y": "1e396"},
            comment="exactly 10**396, beyond float64: agrees if judged.",
        ),
        JUDGE_OR_REFUSE,
        {"y": "agrees"},
    )
    add(
        "trace-given-1e400",
        toml(
            {"x": "1e400"},
            {"y": "2*x"},
            {"y": "2e400"},
            comment="2 * 10**400 exactly: agrees if judged.",
        ),
        JUDGE_OR_REFUSE,
        {"y": "agrees"},
    )
    add(
        "trace-stated-9e9999",
        toml(
            {"x": "1"},
            {"y": "x"},
            {"y": "9e9999"},
            comment="y = 1, stated 9 * 10**9999: wrong if judged.",
        ),
        FAIL_OR_REFUSE,
        {"y": "wrong"},
    )
    add(
        "trace-learning-rate-1e400",
        toml(
            {"w": "0", "t": "1"},
            {"L": "(t - w)**2/2"},
            {"after(1, w)": "1e400"},
            train='loss = "L"\nparams = ["w"]\nlearning_rate = "1e400"',
            comment="grad(L, w) = -1 at w = 0, so after(1, w) = 1e400 exactly: agrees if judged.",
        ),
        JUDGE_OR_REFUSE,
        {"after(1, w)": "agrees"},
    )
    for n in (2, 4, 8):
        add(
            f"trace-huge-recomputed-json-{n}",
            toml(
                {"x": "1"},
                {"a": "x", "b": "a" + "*a" * (n - 1)},
                {"a": "1e300", "b": f"1e{300 * n}"},
                comment=f"a = 1 stated 1e300 (wrong); b = a**{n} redone from it is 1e{300 * n}: "
                "carried, whatever float64 can hold.",
            ),
            FAIL_OR_REFUSE,
            {"a": "wrong", "b": "carried"},
            ["--json"],
        )
    for n in (50, 170, 300, 399):
        define = {"a0": "x"} | {f"a{i}": f"a{i - 1} + 1" for i in range(1, n)}
        add(
            f"trace-chain-{n}-definitions",
            toml(
                {"x": "0"},
                define,
                {f"a{n - 1}": str(n - 1), f"grad(a{n - 1}, x)": "1"},
                comment=f"a_i = a_(i-1) + 1 from a0 = x = 0: a{n - 1} = {n - 1}, its gradient 1.",
            ),
            OK,
            {f"a{n - 1}": "agrees", f"grad(a{n - 1}, x)": "agrees"},
        )
    for depth in (100, 1000):
        nested = "[" * depth + "]" * depth
        add(
            f"trace-toml-array-nested-{depth}",
            f'title = "nested"\n[given]\nw = {nested}\n[claims]\nw = "1"\n',
            REFUSE,
        )
        add(
            f"trace-toml-params-nested-{depth}",
            toml(
                {"w": "0"},
                {"L": "w*w"},
                {"after(1, w)": "0"},
                train=f'loss = "L"\nparams = {nested}\nlearning_rate = 1',
            ),
            REFUSE,
        )
        inline = "{a = " * depth + "1" + "}" * depth
        add(
            f"trace-toml-inline-table-nested-{depth}",
            f'title = "nested"\n[given]\nw = {inline}\n[claims]\nw = "1"\n',
            REFUSE,
        )


def memory() -> None:
    add(
        "memory-exp-minus-1e10",
        toml(
            {"x": "-1e10"},
            {"e": "exp(x)"},
            {"e": "0"},
            comment="exp(-1e10) is below 1e-4e9 but positive: stated '0' is exactly 0, wrong "
            "(a stated integer means that integer), if judged.",
        ),
        FAIL_OR_REFUSE,
        {"e": "wrong"},
    )
    add(
        "memory-exp-minus-1e10-decimal",
        toml(
            {"x": "-1e10"},
            {"e": "exp(x)"},
            {"e": "0.000"},
            comment="exp(-1e10) rounds to 0.000: agrees if judged.",
        ),
        JUDGE_OR_REFUSE,
        {"e": "agrees"},
    )
    add(
        "memory-exp-1e100",
        toml({"x": "1e100"}, {"e": "exp(x)"}, {"e": "1"}, comment="far beyond any bound."),
        FAIL_OR_REFUSE,
        {"e": "wrong"},
    )
    add(
        "memory-sigmoid-minus-1e100",
        toml(
            {"x": "-1e100"},
            {"s": "sigmoid(x)"},
            {"s": "0.0"},
            comment="sigmoid(-1e100) = exp(-1e100)-ish, rounds to 0.0.",
        ),
        JUDGE_OR_REFUSE,
        {"s": "agrees"},
    )
    add(
        "memory-sigmoid-plus-1e100",
        toml(
            {"x": "1e100"},
            {"s": "sigmoid(x)"},
            {"s": "1.0"},
            comment="sigmoid(1e100) rounds to 1.0.",
        ),
        JUDGE_OR_REFUSE,
        {"s": "agrees"},
    )
    add(
        "memory-tanh-1e100",
        toml(
            {"x": "1e100"},
            {"s": "tanh(x)"},
            {"grad(s, x)": "0.0"},
            comment="tanh'(1e100) = 1 - tanh**2 rounds to 0.0.",
        ),
        JUDGE_OR_REFUSE,
        {"grad(s, x)": "agrees"},
    )
    for exponent in ("1e5", "1e9", "1e18", "1e300", "-1e300"):
        add(
            f"memory-pow-{exponent}",
            toml(
                {"x": "3"},
                {"p": f"x**{exponent}"},
                {"p": "?"},
                comment="an enormous (or tiny) exact power: bounded before it is computed.",
            ),
            [0, 2],
        )
    for exponent in ("1e5", "1e9"):
        add(
            f"memory-given-digits-{exponent}",
            toml({"x": f"1{'0' * 90}", "y": "7"}, {"p": f"(x/y)**{exponent}"}, {"p": "?"}),
            [0, 2],
        )
    # 18,000 one-character-apart definitions, just under 256 KB.
    define = "\n".join(f'a{i} = "a{i - 1}"' for i in range(1, 18000))
    add(
        "memory-chain-18000-definitions",
        f'title = "long"\n[given]\na0 = 1\n[define]\n{define}\n[claims]\na17999 = "1"\n',
        REFUSE,
    )


def exponential_time() -> None:
    for levels in (5, 14, 16, 25, 39, 40, 41, 60):
        body = "x"
        value = mpmath.mpf("0.5")
        for _ in range(levels):
            body = f"sigmoid({body})"
            value = sig(value)
        text = toml(
            {"x": "0.5"},
            {"y": body},
            {"y": rounded(value, 8), "grad(y, x)": "?"},
            comment=f"{levels} nested sigmoids of 0.5, the value to 8 digits (mpmath).",
        )
        add(f"time-nested-sigmoid-{levels}", text, [0, 2], {"y": "agrees"})
    for n in (50, 200, 390):
        define = {"a0": "sigmoid(x)"} | {f"a{i}": f"sigmoid(a{i - 1})" for i in range(1, n)}
        value = mpmath.mpf("0.5")
        for _ in range(n):
            value = sig(value)
        add(
            f"time-chain-{n}-sigmoids",
            toml(
                {"x": "0.5"},
                define,
                {f"a{n - 1}": rounded(value, 8), f"grad(a{n - 1}, x)": "?"},
                comment=f"a chain of {n} sigmoid definitions; the last value to 8 digits (mpmath).",
            ),
            OK if n < 390 else [0, 2],
            {f"a{n - 1}": "agrees"},
        )
    x = mpmath.mpf(3)
    value = sig(sig(1 / (mpmath.mpf("2.434") ** 3 * mpmath.log(x))))
    add(
        "time-sigmoid-of-log",
        toml(
            {"x": "3"},
            {"y": "sigmoid(sigmoid(1 / (2.434**3 * log(x))))"},
            {"y": rounded(value, 8), "grad(y, x)": "?"},
            comment="the value to 8 digits (mpmath).",
        ),
        OK,
        {"y": "agrees"},
    )
    add(
        "time-sum-of-exps",
        toml(
            {"x": "0.5"},
            {"y": " + ".join(f"exp({i}*x)" for i in range(1, 60))},
            {"grad(y, x)": "?"},
        ),
        [0, 2],
    )
    add(
        "time-product-of-tanh",
        toml(
            {"x": "0.5"},
            {"y": " * ".join(f"tanh(x + {i})" for i in range(1, 60))},
            {"grad(y, x)": "?"},
        ),
        [0, 2],
    )
    add(
        "time-after-100000",
        toml(
            {"w": "0", "t": "1"},
            {"L": "sigmoid(sigmoid(sigmoid(t - w)))**2"},
            {"after(100000, L)": "?"},
            train='loss = "L"\nparams = ["w"]\nlearning_rate = "0.1"',
        ),
        [0, 2],
    )


def internal_error() -> None:
    add(
        "valid-relu-kink",
        toml(
            {"w": "0", "x": "2"},
            {"z": "w*x", "r": "relu(z)"},
            {"z": "0", "r": "0", "grad(r, z)": "0", "grad(r, w)": "0"},
            comment="relu'(0) = 0 by convention: every claim agrees.",
        ),
        OK,
        {"z": "agrees", "r": "agrees", "grad(r, z)": "agrees", "grad(r, w)": "agrees"},
    )
    add(
        "valid-relu-kink-trained",
        toml(
            {"w": "0", "x": "2", "t": "1"},
            {"z": "w*x", "r": "relu(z)", "L": "(t - r)**2/2"},
            {"grad(L, w)": "0", "after(1, w)": "0"},
            train='loss = "L"\nparams = ["w"]\nlearning_rate = "0.5"',
            comment="relu'(0) = 0: the gradient is 0 and the step leaves w = 0.",
        ),
        OK,
        {"grad(L, w)": "agrees", "after(1, w)": "agrees"},
    )
    add(
        "valid-renaming-a-given",
        toml(
            {"x": "3"},
            {"a": "x", "f": "a*x"},
            {"grad(f, a)": "3", "grad(f, x)": "6"},
            comment="f = a*x with a = x: df/da = x = 3 (through a's node), df/dx = 2x = 6.",
        ),
        OK,
        {"grad(f, a)": "agrees", "grad(f, x)": "agrees"},
    )
    value = mpmath.exp(500)
    add(
        "valid-exp-cancel-600",
        toml(
            {"x": "600"},
            {"y": "exp(x)*exp(x)/exp(700)"},
            {"y": rounded(value, 6)},
            comment="exp(1200 - 700) = exp(500), to 6 digits (mpmath).",
        ),
        OK,
        {"y": "agrees"},
    )
    add(
        "valid-grad-reciprocal-1e-7",
        toml(
            {"x": "1e-7"},
            {"f": "1/x"},
            {"f": "1e7", "grad(f, x)": "-1e14"},
            comment="d(1/x)/dx = -1/x**2 = -1e14 at x = 1e-7.",
        ),
        OK,
        {"f": "agrees", "grad(f, x)": "agrees"},
    )
    add(
        "valid-grad-of-given-is-defined-only",
        toml({"x": "2"}, {"y": "x*x"}, {"grad(y, y)": "1"}, comment="grad(y, y) = 1."),
        OK,
        {"grad(y, y)": "agrees"},
    )
    add(
        "valid-crlf",
        toml({"x": "2"}, {"y": "x*x"}, {"y": "4"}).replace("\n", "\r\n"),
        OK,
        {"y": "agrees"},
    )
    add(
        "valid-unicode-title",
        toml({"x": "2"}, {"y": "x*x"}, {"y": "4"}, title="ŷ = σ(z) — naïve ∂L/∂w 日本語 🙂"),
        OK,
        {"y": "agrees"},
    )
    add(
        "valid-name-like-function",
        toml(
            {"sigmoid_in": "0"},
            {"expo": "exp(sigmoid_in)"},
            {"expo": "1"},
            comment="names that start like functions are ordinary names.",
        ),
        OK,
        {"expo": "agrees"},
    )


def wrong_answers() -> None:
    train = 'loss = "L"\nparams = ["w"]\nlearning_rate = "0.4"'
    cases = {"0.8": "agrees", "0.4": "wrong", "0.80": "agrees", "0.79": "wrong", "0": "wrong"}
    for stated, verdict in cases.items():
        add(
            f"wrong-after-inside-{stated}",
            toml(
                {"w": "0"},
                {"L": "(1 - w)**2/2"},
                {"2*after(1, w)": stated},
                train=train,
                comment="dL/dw = -(1 - w) = -1 at w = 0; one step at rate 0.4: w = 0.4; "
                f"2*after(1, w) = 0.8 exactly. Stated {stated}: {verdict}.",
            ),
            OK if verdict == "agrees" else FAIL,
            {"2*after(1, w)": verdict},
        )
    add(
        "wrong-after-sum",
        toml(
            {"w": "0"},
            {"L": "(1 - w)**2/2"},
            {"after(1, w) + after(2, w)": "1.04"},
            train=train,
            comment="w1 = 0.4, w2 = 0.4 + 0.4*0.6 = 0.64: the sum 1.04.",
        ),
        OK,
        {"after(1, w) + after(2, w)": "agrees"},
    )
    add(
        "wrong-after-without-train",
        toml(
            {"x": "1"},
            {"L": "x*x"},
            {"x + after(5, L)": "2"},
            comment="after() without a [train] table cannot be judged.",
        ),
        REFUSE,
    )
    # exact 0.55875 stated with four decimals: a tie, both neighbours count
    for stated, verdict in {
        "0.5587": "agrees",
        "0.5588": "agrees",
        "0.5586": "wrong",
        "0.5589": "wrong",
        "0.559": "agrees",
        "0.558": "truncated",
    }.items():
        add(
            f"wrong-tie-{stated}",
            toml(
                {"a": "0.55875"},
                {"y": "a*1"},
                {"y": stated},
                comment=f"y = 0.55875 exactly. Stated {stated}: {verdict}.",
            ),
            OK if verdict == "agrees" else FAIL,
            {"y": verdict},
        )
    add(
        "wrong-tie-product",
        toml(
            {"a": "0.25", "b": "2.235"},
            {"y": "a*b"},
            {"y": "0.5587"},
            comment="0.25 * 2.235 = 0.55875 exactly: a tie, 0.5587 agrees.",
        ),
        OK,
        {"y": "agrees"},
    )
    for stated, verdict in {
        "28/15": "agrees",
        "1.87": "agrees",
        "1.86": "truncated",
        "1.866": "truncated",
        "1.867": "agrees",
        "56/30": "agrees",
        "28/16": "wrong",
        "1.8": "truncated",
        "1.9": "agrees",
    }.items():
        add(
            f"wrong-fraction-{stated.replace('/', '_over_')}",
            toml(
                {"a": "28/15"},
                {"y": "a*1"},
                {"y": stated},
                comment=f"y = 28/15 = 1.8666... Stated {stated}: {verdict}.",
            ),
            OK if verdict == "agrees" else FAIL,
            {"y": verdict},
        )
    # the same tie and fraction reached by a training step: exact arithmetic, not float64
    for label, target, rate, stated, verdict in (
        ("tie-low", "1.396875", "0.4", "0.5587", "agrees"),
        ("tie-high", "1.396875", "0.4", "0.5588", "agrees"),
        ("tie-below", "1.396875", "0.4", "0.5586", "wrong"),
        ("fraction", "56/15", "0.5", "28/15", "agrees"),
        ("fraction-rounded", "56/15", "0.5", "1.867", "agrees"),
        ("fraction-off", "56/15", "0.5", "28/16", "wrong"),
    ):
        add(
            f"wrong-after-{label}",
            toml(
                {"w": "0", "t": target},
                {"L": "(t - w)**2/2"},
                {"after(1, w)": stated},
                train=f'loss = "L"\nparams = ["w"]\nlearning_rate = "{rate}"',
                comment=f"dL/dw = -(t - w) = -t at w = 0: after(1, w) = {rate} * {target} "
                f"exactly. Stated {stated}: {verdict}.",
            ),
            OK if verdict == "agrees" else FAIL,
            {"after(1, w)": verdict},
        )
    add(
        "wrong-fraction-division",
        toml({"a": "28", "b": "15"}, {"y": "a/b"}, {"y": "28/15"}, comment="28/15 exactly."),
        OK,
        {"y": "agrees"},
    )
    add(
        "wrong-zero-e9999",
        toml({"a": "0"}, {"y": "a*1"}, {"y": "0e9999"}, comment="exact 0 stated as zero."),
        JUDGE_OR_REFUSE,
        {"y": "agrees"},
    )
    add(
        "wrong-zero-e3",
        toml({"a": "0"}, {"y": "a*1"}, {"y": "0e3"}, comment="exact 0 stated as zero."),
        JUDGE_OR_REFUSE,
        {"y": "agrees"},
    )
    add(
        "wrong-zero-e3-for-0.3",
        toml(
            {"a": "0.3"},
            {"y": "a*1"},
            {"y": "0e3"},
            comment="0.3 stated '0e3': no verdict asserted here.",
        ),
        ANY,
    )
    add(
        "wrong-zero-e9999-for-7",
        toml(
            {"a": "7"},
            {"y": "a*1"},
            {"y": "0e9999"},
            comment="7 stated '0e9999': no verdict asserted here.",
        ),
        ANY,
    )
    for label, digits in {
        "arabic-indic": "٠٫٥",
        "arabic-indic-dot": "٠.٥",
        "full-width": "０.５",
        "devanagari": "०.५",
        "superscript": "0.⁵",
        "full-width-integer": "５",
    }.items():
        add(
            f"wrong-digits-{label}-stated",
            toml(
                {"a": "0.5"}, {"y": "a*1"}, {"y": digits}, comment="only ASCII digits are numbers."
            ),
            REFUSE,
        )
        add(
            f"wrong-digits-{label}-given",
            toml(
                {"a": digits}, {"y": "a*1"}, {"y": "0.5"}, comment="only ASCII digits are numbers."
            ),
            REFUSE,
        )
    for stated, exact, verdict in (
        ("0", "-0.7", "wrong"),
        ("0", "0.3", "wrong"),
        ("1", "0.6", "wrong"),
        ("-1", "-0.6", "wrong"),
        ("2", "2", "agrees"),
        ("0", "0", "agrees"),
        ("0.0", "0.03", "agrees"),
        ("-0.7", "-0.7", "agrees"),
    ):
        add(
            f"wrong-stated-integer-{stated}-for-{exact}",
            toml(
                {"a": exact},
                {"y": "a*1"},
                {"y": stated},
                comment=f"y = {exact}; a stated integer means exactly that integer: {verdict}.",
            ),
            OK if verdict == "agrees" else FAIL,
            {"y": verdict},
        )
    add(
        "wrong-stated-toml-integer",
        'title = "int"\n[given]\na = "-0.7"\n[define]\ny = "a*1"\n[claims]\ny = 0\n',
        FAIL,
        {"y": "wrong"},
    )
    add(
        "wrong-sign-flipped",
        toml(
            {"x": "0.5"},
            {"y": "sigmoid(x)"},
            {"y": "-0.6225"},
            comment="sigmoid(0.5) = 0.622459...: the sign flipped is wrong.",
        ),
        FAIL,
        {"y": "wrong"},
    )
    add(
        "wrong-carried",
        toml(
            {"x": "2"},
            {"y": "x*x", "z": "y + 1"},
            {"y": "5", "z": "6"},
            comment="y = 4 stated 5 (wrong); z redone from 5 is 6: carried.",
        ),
        FAIL,
        {"y": "wrong", "z": "carried"},
    )


def malformed() -> None:
    """Every table and key malformed: each must be refused (exit 2) with one line."""
    base_given, base_define, base_claims = 'x = "2"\n', 'y = "x*x"\n', 'y = "4"\n'

    def file(
        title: str = 'title = "t"\n',
        given: str | None = base_given,
        define: str | None = base_define,
        claims: str | None = base_claims,
        extra: str = "",
    ) -> str:
        parts = [title]
        if given is not None:
            parts.append("[given]\n" + given)
        if define is not None:
            parts.append("[define]\n" + define)
        if claims is not None:
            parts.append("[claims]\n" + claims)
        return "".join(parts) + extra

    bad: dict[str, str] = {
        "title-missing": file(title=""),
        "title-int": file(title="title = 3\n"),
        "title-array": file(title="title = [1]\n"),
        "title-table": file(title="[title]\na = 1\n"),
        "source-int": file(title='title = "t"\nsource = 5\n'),
        "given-missing": file(given=None, define=None),
        "given-not-table": 'title = "t"\ngiven = 3\n[claims]\nx = "1"\n',
        "given-bool": file(given="x = true\n"),
        "given-table": file(given="x = {a = 1}\n"),
        "given-inf": file(given="x = inf\n"),
        "given-nan": file(given="x = nan\n"),
        "given-minus-inf": file(given="x = -inf\n"),
        "given-string-inf": file(given='x = "Infinity"\n'),
        "given-string-nan": file(given='x = "NaN"\n'),
        "given-word": file(given='x = "two"\n'),
        "given-empty": file(given='x = ""\n'),
        "given-space": file(given='x = "   "\n'),
        "given-zero-denominator": file(given='x = "1/0"\n'),
        "given-underscore": file(given='x = "1_000"\n'),
        "given-hex": file(given='x = "0x10"\n'),
        "given-complex": file(given='x = "1j"\n'),
        "given-expression": file(given='x = "1+1"\n'),
        "given-too-many-digits": file(given=f'x = "{"1" * 500}"\n'),
        "given-date": file(given="x = 1979-05-27\n"),
        "given-name-keyword": file(given='lambda = "1"\n', define='y = "lambda"\n'),
        "given-name-true": file(given='True = "1"\n', define='y = "True"\n'),
        "given-name-sigmoid": file(given='sigmoid = "1"\n', define='y = "sigmoid"\n'),
        "given-name-grad": file(given='grad = "1"\n', define='y = "grad * 2"\n'),
        "given-name-after": file(given='after = "1"\n', define='y = "after"\n'),
        "given-name-exp": file(given='exp = "1"\n', define='y = "exp + 1"\n'),
        "given-name-space": file(given='"x y" = "1"\n', define='y = "1"\n'),
        "given-name-dotted": file(given='x.y = "1"\n', define='y = "1"\n'),
        "given-name-digit": file(given='"1x" = "1"\n', define='y = "1"\n'),
        "given-name-empty": file(given='"" = "1"\n', define='y = "1"\n'),
        "define-missing-name": file(define='y = "q*2"\n'),
        "define-unknown-function": file(define='y = "sin(x)"\n'),
        "define-int": file(define="y = 3\n"),
        "define-array": file(define='y = ["x"]\n'),
        "define-empty": file(define='y = ""\n'),
        "define-syntax": file(define='y = "x +* 2"\n'),
        "define-unbalanced": file(define='y = "(x + 2"\n'),
        "define-cycle": file(define='y = "z"\nz = "y"\n'),
        "define-self": file(define='y = "y + 1"\n'),
        "define-also-given": file(define='y = "x"\nx = "2"\n'),
        "define-attribute": file(define='y = "x.real"\n'),
        "define-dunder-attribute": file(define='y = "x.__class__.__bases__"\n'),
        "define-import": file(define="y = \"__import__('os').system('true')\"\n"),
        "define-lambda": file(define='y = "(lambda: 1)()"\n'),
        "define-subscript": file(define='y = "x[0]"\n'),
        "define-compare": file(define='y = "x < 2"\n'),
        "define-bool-op": file(define='y = "x and 2"\n'),
        "define-ternary": file(define='y = "x if x else 2"\n'),
        "define-string": file(define="y = \"'abc'\"\n"),
        "define-fstring": file(define="y = \"f'{x}'\"\n"),
        "define-walrus": file(define='y = "(z := x)"\n'),
        "define-keyword-arg": file(define='y = "exp(x=1)"\n'),
        "define-two-args": file(define='y = "exp(x, x)"\n'),
        "define-no-args": file(define='y = "exp()"\n'),
        "define-star": file(define='y = "exp(*x)"\n'),
        "define-call-name": file(define='y = "x(2)"\n'),
        "define-variable-exponent": file(define='y = "2**x"\n'),
        "define-complex-literal": file(define='y = "x + 1j"\n'),
        "define-grad-inside": file(define='y = "grad(x, x)"\n'),
        "define-after-inside": file(define='y = "after(1, x)"\n'),
        "define-semicolon": file(define='y = "x; x"\n'),
        "define-newline": file(define='y = """x\nimport os"""\n'),
        "define-too-long": file(define=f'y = "{"x + " * 400}x"\n'),
        "define-too-many-operators": file(define=f'y = "{"x*" * 250}x"\n'),
        "define-sigmoid-nested-300": file(define=f'y = "{"sigmoid(" * 300}x{")" * 300}"\n'),
        "define-power-tower": file(define='y = "x**2**2**2**2**2**2"\n'),
        "claims-missing": file(claims=None),
        "claims-empty": file(claims=""),
        "claims-not-table": file(claims=None) + "claims = 3\n",
        "claims-unknown-name": file(claims='q = "1"\n'),
        "claims-syntax": file(claims='"y +" = "1"\n'),
        "claims-bool": file(claims="y = true\n"),
        "claims-table": file(claims="y = {a = 1}\n"),
        "claims-word": file(claims='y = "four"\n'),
        "claims-inf": file(claims="y = inf\n"),
        "claims-grad-one-arg": file(claims='"grad(y)" = "1"\n'),
        "claims-grad-three-args": file(claims='"grad(y, x, x)" = "1"\n'),
        "claims-grad-number": file(claims='"grad(y, 3)" = "1"\n'),
        "claims-grad-of-given": file(claims='"grad(x, y)" = "1"\n'),
        "claims-grad-expression": file(claims='"grad(y*2, x)" = "1"\n'),
        "claims-grad-unknown": file(claims='"grad(q, x)" = "1"\n'),
        "claims-after-without-train": file(claims='"after(1, y)" = "1"\n'),
        "claims-question-in-given": file(given='x = "?"\n'),
        "expect-unknown-verdict": file(extra='[expect]\ny = "right"\n'),
        "expect-unknown-claim": file(extra='[expect]\nq = "agrees"\n'),
        "expect-int": file(extra="[expect]\ny = 3\n"),
        "unknown-table": file(extra="[extra]\na = 1\n"),
        "unknown-top-key": file(title='title = "t"\nauthor = "me"\n'),
        "duplicate-given": file(given='x = "2"\nx = "3"\n'),
        "duplicate-table": file(extra='[given]\nz = "1"\n'),
        "duplicate-claim": file(claims='y = "4"\ny = "5"\n'),
        "duplicate-claim-quoted": file(claims='y = "4"\n"y" = "5"\n'),
        "toml-syntax": 'title = "t"\n[given\nx = 2\n',
        "toml-unterminated-string": 'title = "t\n[given]\nx = 2\n',
        "toml-bare-word": "title = t\n",
        "empty-file": "",
        "only-comment": "# nothing here\n",
        "only-whitespace": " \n\t\n   \n",
    }
    train_bad = {
        "train-loss-missing": 'params = ["x"]\nlearning_rate = 1',
        "train-loss-unknown": 'loss = "q"\nparams = ["x"]\nlearning_rate = 1',
        "train-loss-given": 'loss = "x"\nparams = ["x"]\nlearning_rate = 1',
        "train-loss-int": 'loss = 3\nparams = ["x"]\nlearning_rate = 1',
        "train-params-missing": 'loss = "y"\nlearning_rate = 1',
        "train-params-string": 'loss = "y"\nparams = "x"\nlearning_rate = 1',
        "train-params-empty": 'loss = "y"\nparams = []\nlearning_rate = 1',
        "train-params-unknown": 'loss = "y"\nparams = ["q"]\nlearning_rate = 1',
        "train-params-defined": 'loss = "y"\nparams = ["y"]\nlearning_rate = 1',
        "train-params-int": 'loss = "y"\nparams = [1]\nlearning_rate = 1',
        "train-rate-missing": 'loss = "y"\nparams = ["x"]',
        "train-rate-bool": 'loss = "y"\nparams = ["x"]\nlearning_rate = true',
        "train-rate-word": 'loss = "y"\nparams = ["x"]\nlearning_rate = "fast"',
        "train-rate-inf": 'loss = "y"\nparams = ["x"]\nlearning_rate = inf',
        "train-rate-nan": 'loss = "y"\nparams = ["x"]\nlearning_rate = nan',
        "train-extra-key": 'loss = "y"\nparams = ["x"]\nlearning_rate = 1\nmomentum = 0.9',
        "train-not-table": None,
    }
    for name, text in bad.items():
        add(f"bad-{name}", text, REFUSE)
    for name, train in train_bad.items():
        if train is None:
            text = (
                'title = "t"\ntrain = 3\n[given]\nx = "2"\n[define]\ny = "x*x"\n'
                '[claims]\n"after(1, x)" = "1"\n'
            )
        else:
            text = file(claims='"after(1, x)" = "1"\n', extra=f"[train]\n{train}\n")
        add(f"bad-{name}", text, REFUSE)
    for steps in ("-1", "0.5", "x", "100001", "10**6", "1e6"):
        add(
            f"bad-after-steps-{steps.replace('*', 'x')}",
            file(
                claims=f'"after({steps}, x)" = "1"\n',
                extra='[train]\nloss = "y"\nparams = ["x"]\nlearning_rate = "0.1"\n',
            ),
            REFUSE,
        )
    add(
        "bad-after-nested",
        file(
            claims='"after(1, after(1, x))" = "1"\n',
            extra='[train]\nloss = "y"\nparams = ["x"]\nlearning_rate = "0.1"\n',
        ),
        REFUSE,
    )
    good = file()
    add("bad-bom", b"\xef\xbb\xbf" + good.encode(), [0, 2], {"y": "agrees"})
    add("bad-nul-byte", good.replace("x*x", "x\x00*x").encode(), REFUSE)
    add("bad-nul-in-comment", ("# a\x00b\n" + good).encode(), REFUSE)
    add("bad-invalid-utf8", b'title = "\xff\xfe"\n' + good.encode()[len('title = "t"\n') :], REFUSE)
    add("bad-utf16", good.encode("utf-16"), REFUSE)
    add("bad-latin1-title", 'title = "na\xefve"\n'.encode("latin-1") + good.encode()[12:], REFUSE)
    add("bad-binary-garbage", bytes(range(256)) * 4, REFUSE)
    add("bad-title-200k", file(title=f'title = "{"a" * 200_000}"\n'), [0, 2], {"y": "agrees"})
    add("bad-file-300k", file(title=f'title = "{"a" * 300_000}"\n'), REFUSE)
    add("bad-comment-300k", "#" + "c" * 300_000 + "\n" + good, REFUSE)
    add("bad-long-line-key", file(given=f'{"x" * 5000} = "2"\n', define='y = "2*2"\n'), [0, 2])
    for label, count in (("huge-int", f"9{'9' * 30}"), ("huge-exponent", "1e99999999")):
        add(
            f"bad-define-{label}-literal",
            file(define=f'y = "x * {count}"\n'),
            FAIL_OR_REFUSE,
            {"y": "wrong"},
        )
    for depth in (50, 199, 1000, 20000):
        add(
            f"bad-define-parens-{depth}",
            file(define=f'y = "{"(" * depth}x*x{")" * depth}"\n'),
            JUDGE_OR_REFUSE,
            {"y": "agrees"},
        )
    add(
        "bad-define-minus-1000",
        file(define=f'y = "{"-" * 1000}x*x"\n'),
        JUDGE_OR_REFUSE,
        {"y": "agrees"},
    )
    add(
        "bad-too-many-names",
        file(given="".join(f'x{i} = "{i}"\n' for i in range(500)) + 'x = "2"\n'),
        REFUSE,
    )
    add(
        "bad-too-many-claims",
        file(claims="".join(f'"y + {i}" = "?"\n' for i in range(500))),
        REFUSE,
    )
    for dunder in ("__class__", "__import__", "__builtins__", "__dict__"):
        add(
            f"bad-given-name-{dunder.strip('_')}",
            file(given=f'{dunder} = "1"\n', define=f'y = "{dunder} * 4"\n'),
            JUDGE_OR_REFUSE,
            {"y": "agrees"},
        )
    add(
        "valid-unicode-name",
        file(given='"ŵ" = "2"\n', define='y = "ŵ*ŵ"\n'),
        [0, 2],
        {"y": "agrees"},
    )
    add(
        "valid-greek-names",
        file(given='"σ" = "2"\n', define='y = "σ*σ"\n'),
        [0, 2],
        {"y": "agrees"},
    )


def arrays() -> None:
    """Files in matrix form (issue 19): shapes that do not fit, arrays past the bounds,
    and stated arrays whose shape is wrong (judged, not refused)."""
    head = 'title = "arrays"\n[given]\nW = [[1, 2]]\nX = [[1, 0], [0, 2]]\n'
    rows = ", ".join(["[" + ", ".join(["1"] * 100) + "]"] * 100)
    for name, text in {
        "ragged": 'title = "t"\n[given]\nW = [[1, 2], [3]]\n[claims]\n"sum(W)" = 3\n',
        "nested-3": 'title = "t"\n[given]\nW = [[[1]]]\n[claims]\n"sum(W)" = 1\n',
        "empty-row": 'title = "t"\n[given]\nW = [[]]\n[claims]\n"sum(W)" = 0\n',
        "matmul-shapes": head + '[claims]\n"W @ W" = 1\n',
        "matmul-1d": 'title = "t"\n[given]\nv = [1, 2]\n[claims]\n"v @ v" = 5\n',
        "index-out-of-bounds": head + '[claims]\n"W[0, 2]" = 1\n',
        "index-too-many": head + '[claims]\n"W[0, 0, 0]" = 1\n',
        "axis-out-of-range": head + '[claims]\n"sum(W, axis=2)" = 1\n',
        "grad-of-an-array": head + '[define]\nZ = "W @ X"\n[claims]\n"grad(Z, W)" = 1\n',
        "loss-not-scalar": head
        + '[define]\nZ = "W @ X"\n[train]\nloss = "Z"\nparams = ["W"]\nlearning_rate = 1\n'
        + '[claims]\n"after(1, Z)" = "?"\n',
        "100x100-product": f'title = "t"\n[given]\nA = [{rows}]\nB = [{rows}]\n'
        + '[claims]\n"A @ B" = "?"\n',
    }.items():
        add(f"bad-array-{name}", text, REFUSE)
    add(
        "wrong-array-stated-for-a-number",
        'title = "t"\n[given]\nx = "2"\n[define]\ny = "x*x"\n[claims]\n'
        "# y = 4 is a number: a stated array of shape (1,) does not fit it (wrong)\n"
        'y = ["4"]\n',
        FAIL,
        {"y": "wrong"},
    )
    add(
        "wrong-array-given-for-a-number",
        'title = "t"\n[given]\nx = [1, 2]\n[define]\ny = "x*x"\n[claims]\n'
        "# x is an array of shape (2,), so y = x*x = [1, 4]: a single number does not fit\n"
        'y = "4"\n',
        FAIL,
        {"y": "wrong"},
    )
    add(
        "wrong-array-transposed",
        head
        + '[define]\nZ = "W @ X"\n[claims]\n'
        + "# W @ X = [[1*1 + 2*0, 1*0 + 2*2]] = [[1, 4]] (1x2), stated as a 2x1 column\n"
        + "Z = [[1], [4]]\n",
        FAIL,
        {"Z": "transposed"},
    )
    add(
        "valid-array-product",
        head + '[define]\nZ = "W @ X"\n[claims]\n# [[1, 4]]\nZ = [[1, 4]]\n',
        [0],
        {"Z": "agrees"},
    )


def main() -> None:
    arrays()
    tracebacks()
    memory()
    exponential_time()
    internal_error()
    wrong_answers()
    malformed()
    for old in HERE.glob("*.nbn.toml"):
        old.unlink()
    for filename, data in RAW.items():
        (HERE / filename).write_bytes(data)
    (HERE / "expected.json").write_text(json.dumps(CORPUS, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(RAW)} files to {HERE}")


if __name__ == "__main__":
    main()
