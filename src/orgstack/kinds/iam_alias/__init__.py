"""The account alias (``accounts.<name>.iam_alias``): the name in the account's sign-in URL
(``https://<alias>.signin.aws.amazon.com/console``) instead of its 12-digit id.

Addresses: ``iam-alias:<account>``. Aliases are globally unique in AWS; an account has at most
one. orgstack reads the alias of the accounts that declare one; an alias that differs from the
spec is replaced.
"""

from orgstack.model.kind import KindInfo, Removal

KIND = KindInfo(
    prefix="iam-alias",
    summary="the accounts' IAM aliases (iam_alias)",
    removal={"": Removal.DELETE},
)
