"""A backup, AI services opt-out, chatbot or declarative policy does not follow AWS's syntax.

What it does: Checks each such policy against the management policy syntax: the one top-level
key of its type ("plans", "services", "chatbot", "ec2_attributes"); every value set through an
inheritance operator (@@assign, @@append, @@remove) inside an object; only known operators;
@@operators_allowed_for_child_policies a list of @@all, @@none, @@assign, @@append, @@remove;
a declarative policy names only EC2 attributes AWS has. A backup policy is checked against its
documented keys (a misspelt key is named, with the key meant) and values: a schedule of six
cron fields or a rate, Regions AWS has, whole numbers of days (at least 1) and of minutes (at
least 60), role and vault ARNs. An AI opt-out policy names only services AWS lists and assigns
optIn or optOut. Each problem points at the line of the part to fix.

Why it matters: AWS refuses a malformed policy at upload, in the middle of an apply; an
operator typo (@@asign) is refused, and a bare value where an operator belongs is the most
common mistake.

Example: {"plans": {"daily": {"regions": ["eu-west-1"]}}} (regions must be
{"@@assign": ["eu-west-1"]}).

Fix: Wrap each value in an operator object, e.g. "regions": {"@@assign": ["eu-west-1"]}; see
the management policy syntax reference.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.model.mgmtpolicy import TOP_KEY, problems
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import document, dotted

RULE = define(
    __name__, __doc__, id="LZ020", severity="error", doc_url=sources.MANAGEMENT_POLICY_SYNTAX
)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type in TOP_KEY and not policy.aws_managed:
            for path, problem in problems(policy.type, document(policy)):
                yield RULE.finding(
                    policy.address,
                    f"{policy.type.value} policy {policy.name}{dotted(path)}: {problem}",
                    policy.located(path),
                )
