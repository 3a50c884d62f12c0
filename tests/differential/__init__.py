"""A differential test of ``nbn check``, independent of nbn's oracles.

* :mod:`.evaluator`: expression trees, exact rationals and 70-digit mpmath values,
  forward-mode duals for gradients, an own gradient-descent loop for ``after``;
* :mod:`.judge`: the verdict rules of docs/check.md and the author's world,
  implemented again from the documentation;
* :mod:`.generator`: random well-formed files (printed from the trees) with
  stated values drawn to hit each verdict;
* :mod:`.compare`: nbn's report on a generated file against the judgement here;
* :mod:`.arrays`: the same in matrix form (own arrays with broadcasting, ``@``,
  ``.T``, ``sum``/``mean``, indexing; per-entry forward-mode gradients; own descent)
  and :mod:`.array_generator`: random files in matrix form and their judgement.

Nothing here imports nbn except :func:`.compare.findings` and
:func:`.compare.array_findings`, which call the public ``nbn.check.check_text``.
"""
