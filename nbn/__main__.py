"""``python -m nbn``: the same command line as the ``nbn`` script (see ``nbn.cli``)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
