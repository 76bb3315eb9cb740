"""The spec's own checks during a plan: AWS's hard limits it breaks (they block the plan) and
its digest — CPU work that needs no AWS answer, done while the reads run.

A thread would share the interpreter with the reads (at 5,000 accounts the checks took 0.5 s
of a partial plan's 3 s of wall time, the GIL passing between them), so for a large spec they
run in a forked process on another core: the child starts with the compiled model in its
memory (nothing is pickled but the answer). Forking is only safe while no other thread runs
(a lock another thread held would stay locked in the child), so with other threads, on a
platform without fork, or for a small spec, they run in a thread as before.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

from orgstack.model import OrgModel
from orgstack.rules.base import Severity
from orgstack.rules.engine import run_rules
from orgstack.rules.registry import pick

if TYPE_CHECKING:
    from orgstack.plan.model import Preflight

#: From this many accounts the checks run in a process of their own (below it, starting one
#: costs more than the checks).
PROCESS_FROM = 1000
Checked = tuple[tuple["Preflight", ...], str]

#: The model the forked child checks (set just before the fork; a fork copies it).
_FORKED: list[OrgModel] = []


def blockers(desired: OrgModel) -> Checked:
    """AWS's hard limits the spec breaks (they block the plan), and the spec's digest."""
    from orgstack.plan.fingerprint import spec_digest
    from orgstack.plan.model import Preflight

    limits = tuple(r for r in pick(("limits", "LZ201", "LZ202")) if r.severity == Severity.ERROR)
    found = tuple(
        Preflight(
            "error",
            f"{f.source or f.address}: {f.rule_id} {f.rule_name}: {f.message}",
            "AWS would refuse this part of the apply; `orgstack validate` explains each finding.",
        )
        for f in run_rules(desired, limits).findings
    )
    return found, spec_digest(desired)


def _forked_blockers() -> Checked:
    return blockers(_FORKED[0])


def in_a_process(desired: OrgModel) -> bool:
    """Whether the checks of ``desired`` run in a forked process (see the module's text)."""
    return (
        len(desired.accounts) >= PROCESS_FROM
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


@contextmanager
def spec_checks(desired: OrgModel) -> Iterator[Future[Checked]]:
    """The checks of ``desired``, started; the future's result is (blockers, digest)."""
    pool: Executor
    if in_a_process(desired):
        _FORKED[:] = [desired]
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        try:
            with pool:
                yield pool.submit(_forked_blockers)
        finally:
            _FORKED.clear()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(blockers, desired)
