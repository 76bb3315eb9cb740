"""The organization as a tree of OUs and accounts, for the terminal."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from orgstack.model import Account, OrgModel

ROOT = "root"


def _account_label(account: Account) -> Text:
    label = Text.assemble((account.name, "bold"), "  ", (account.purpose, "cyan"))
    if account.stage:
        label.append(f"  stage={account.stage}", "magenta")
    if account.email:
        label.append(f"  {account.email}", "dim")
    # A line too long for the terminal ends in "…" instead of a cut e-mail address.
    label.no_wrap, label.overflow = True, "ellipsis"
    return label


def org_tree(model: OrgModel) -> Tree:
    """Root, OUs (nested) and the accounts in each, in spec order."""
    org = model.organization
    tree = Tree(Text.assemble((org.name, "bold"), f"  organization, home {org.home_region}"))
    root = tree.add(Text("root", "bold green"))

    def fill(node: Tree, parent: str) -> None:
        for account in model.accounts_in(parent):
            node.add(_account_label(account))
        for ou in model.children(parent):
            count = sum(
                1 for a in model.accounts if a.ou == ou.path or a.ou.startswith(ou.path + "/")
            )
            noun = "account" if count == 1 else "accounts"
            child = node.add(
                Text.assemble((ou.name + "/", "bold blue"), (f"  {count} {noun}", "dim"))
            )
            fill(child, ou.path)

    fill(root, ROOT)
    return tree


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def summary(model: OrgModel) -> str:
    """Counts of accounts, OUs and the policies the organization itself defines."""
    own = sum(1 for p in model.policies if not p.aws_managed)
    return (
        f"{plural(len(model.accounts), 'account')} in {plural(len(model.ous), 'OU')}, "
        f"{plural(own, 'policy', 'policies')}"
    )
