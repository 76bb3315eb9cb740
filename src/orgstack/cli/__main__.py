"""``python -m orgstack.cli``: the same as the ``orgstack`` command."""

from orgstack.cli import run

run()
