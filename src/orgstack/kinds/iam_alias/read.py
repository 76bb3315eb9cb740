"""Read the alias of every account that declares one: one ListAccountAliases per account, in
the account (through the access role; the management account directly), concurrently.

IAM actions: sts:AssumeRole, iam:ListAccountAliases
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from orgstack.aws.reading import ReadContext
from orgstack.kinds.iam_alias.vocabulary import address
from orgstack.model.kind import Live, ReadRequest


def _alias(ctx: ReadContext, account_id: str) -> str | None:
    aliases = ctx.call(ctx.member(account_id), "list_account_aliases").get("AccountAliases", [])
    return str(aliases[0]) if aliases else None


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    wanted = {n: i for n in request.target_accounts() if (i := request.account_id(n)) is not None}
    live = Live()
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        found = {name: pool.submit(_alias, ctx, i) for name, i in wanted.items()}
        for name, future in found.items():
            alias = future.result()
            if alias is not None:
                live.resources[address(name)] = {"alias": alias}
                # The spec declares this account's alias: orgstack manages it.
                live.managed.add(address(name))
    return live
