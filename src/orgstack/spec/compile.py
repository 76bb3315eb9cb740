"""Compile a validated spec into the model, checking references, e-mails and policy files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType

from orgstack import registry
from orgstack.errors import Problem, SpecError
from orgstack.model import (
    FULL_AWS_ACCESS,
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Source,
    Suppression,
    Target,
    minified,
    paths,
)
from orgstack.model.core import FULL_AWS_ACCESS_CONTENT
from orgstack.spec.guardrails import guardrail_document
from orgstack.spec.isolation import compile_isolation
from orgstack.spec.messages import did_you_mean
from orgstack.spec.partial import Broken
from orgstack.spec.policyfile import Positions, policy_document
from orgstack.spec.schema import (
    AccountSpec,
    AttributeTagsSpec,
    CoreSpec,
    OrganizationalUnitSpec,
    PolicySpec,
)
from orgstack.spec.yamlread import Located, Pos

ROOT = "root"
#: The tag ``owner`` becomes: who to ask about the account, and cost allocation by owner.
OWNER_TAG = "owner"


def _source(pos: Pos) -> Source:
    return Source(pos.file, pos.line, pos.column)


def compile_spec(spec: CoreSpec, located: Located) -> OrgModel:
    """Build the model; every problem found is reported at once as a ``SpecError``."""
    model, problems = compile_partial(spec, located)
    if problems:
        raise SpecError(problems)
    return model


def compile_partial(
    spec: CoreSpec, located: Located, broken: Broken | None = None
) -> tuple[OrgModel, list[Problem]]:
    """The model of everything that compiles, and the problems of the rest.

    ``broken`` names what the schema already refused (``spec.partial``): referring to it is
    no new problem. The model leaves out whatever has a problem (an account in an unknown OU,
    a policy without its file, a kind section with a problem), so rules can still run on it.
    """
    cut = broken or Broken()
    problems: list[Problem] = []
    org = spec.organization
    regions = (org.home_region, *(r for r in org.allowed_regions if r != org.home_region))
    organization = Organization(
        name=org.name,
        home_region=org.home_region,
        allowed_regions=regions,
        email_pattern=org.email_pattern,
        feature_set=org.feature_set,
        access_role=org.access_role,
        account_quota=org.account_quota,
        root_tags=org.root_tags,
        attribute_tags=tuple(_attribute_tags(org.attribute_tags)),
        source=_source(located.key_pos(("organization",))),
    )
    ous = tuple(_ous(spec.organizational_units, (), "", located))
    ou_paths = [o.path for o in ous]
    known_ous = frozenset(ou_paths)  # looked up once per account: a set, not the list
    accounts: list[Account] = []
    left_out: set[str] = set()
    for name, item in spec.accounts.items():
        before = len(problems)
        account = _account(
            name, item, organization, org.attribute_tags, ou_paths, known_ous, located, problems
        )
        if len(problems) > before or cut.has_ou(item.ou):
            left_out.add(name)
        accounts.append(account)
    _check_unique_emails(accounts, located, problems)
    _check_one_management(accounts, located, problems)
    cut = cut.with_accounts(left_out)
    account_names = [a.name for a in accounts]
    problems = [p for p in problems if not cut.is_consequence(p)]
    accounts = [a for a in accounts if a.name not in left_out]
    core = OrgModel(organization, ous, tuple(accounts))
    sections = {}
    for section, kind in registry.sections():
        if (value := getattr(spec, section, None)) is None:
            continue
        found: list[Problem] = []
        compiled = kind.compile(value, core, located, found)
        found = [p for p in found if not cut.is_consequence(p)]
        problems += found
        if not found and compiled is not None:  # None: only consequences of a cut item
            sections[section] = compiled
    if spec.isolation is not None:  # a core section, kept with the kinds' for the command
        sections["isolation"] = compile_isolation(spec.isolation, core, located, problems)
    # Guardrails take parameters from the kinds' sections (the log bucket's name, …).
    with_sections = OrgModel(organization, ous, tuple(accounts), sections=sections)
    known = _Known(
        {"ou": [o.path for o in ous], "account": account_names},
        {"ou": frozenset(o.path for o in ous), "account": frozenset(account_names)},
    )
    policies = [
        policy
        for name, item in spec.policies.items()
        if (policy := _policy(name, item, with_sections, known, located, problems, cut))
    ]
    policies += _section_policies(sections, with_sections, policies, located, problems)
    if org.full_aws_access:
        policies.insert(0, _full_aws_access(ous, accounts))
    suppressions = tuple(
        Suppression(item.rule, item.target, item.reason, _source(located.value_pos(("ignore", i))))
        for i, item in enumerate(spec.ignore)
    )
    model = OrgModel(
        organization,
        ous,
        tuple(accounts),
        tuple(policies),
        suppressions,
        spec.unmanaged,
        sections=sections,
    )
    return model, problems


def _section_policies(
    sections: dict[str, object],
    model: OrgModel,
    declared: list[Policy],
    located: Located,
    problems: list[Problem],
) -> list[Policy]:
    """The policies kinds' sections add (``backup:``'s backup policy); one whose address a
    declared policy has already is a problem, at the section."""
    found: list[Policy] = []
    taken = {p.address: p for p in declared}
    for section, kind in registry.sections():
        if section not in sections:
            continue
        for policy in kind.policies(sections[section], model, located):
            if policy.address in taken:
                problems.append(
                    located.key_pos((section,)).problem(
                        f"{section}: adds the {policy.type.value} policy '{policy.name}', which "
                        f"policies.{policy.name} declares too; rename one "
                        f"({section}.policy names the section's)"
                    )
                )
                continue
            taken[policy.address] = policy
            found.append(policy)
    return found


def _full_aws_access(ous: tuple[OrganizationalUnit, ...], accounts: list[Account]) -> Policy:
    """FullAWSAccess on the root, every OU and account, as Organizations attaches it."""
    targets = (
        Target(ROOT),
        *(Target("ou", o.path) for o in ous),
        *(Target("account", a.name) for a in accounts),
    )
    return Policy(
        FULL_AWS_ACCESS,
        PolicyType.SERVICE_CONTROL,
        FULL_AWS_ACCESS_CONTENT,
        "AWS managed: allows every action; guardrails deny from there.",
        targets,
        aws_managed=True,
    )


def _ous(
    items: dict[str, OrganizationalUnitSpec], path: tuple[str, ...], parent: str, located: Located
) -> Iterator[OrganizationalUnit]:
    key = ("organizational_units", *path)
    for name, item in items.items():
        ou_path = paths.join(parent, name)
        yield OrganizationalUnit(
            ou_path, item.tags, item.id, _source(located.key_pos((*key, name)))
        )
        yield from _ous(item.children, (*path, name, "children"), ou_path, located)


def _attribute_tags(spec: AttributeTagsSpec) -> list[tuple[str, str]]:
    """(account field, tag key) pairs apply records; owner always sets ``owner``."""
    found = spec.model_dump().items()
    return [(f, k) for f, k in found if k is not None] + [("owner", OWNER_TAG)]


def _account(
    name: str,
    item: AccountSpec,
    org: Organization,
    attribute_tags: AttributeTagsSpec,
    ou_paths: list[str],
    known_ous: frozenset[str],
    located: Located,
    problems: list[Problem],
) -> Account:
    path = ("accounts", name)
    if item.ou != ROOT and item.ou not in known_ous:  # (one cut out is a consequence)
        problems.append(
            located.value_pos((*path, "ou")).problem(
                f"accounts.{name}.ou: no OU '{item.ou}'{did_you_mean(item.ou, ou_paths)}; "
                f"use root or one of: {', '.join(ou_paths) or '(no OUs declared)'}"
            )
        )
    email = item.email
    if email is None and item.purpose != "management":
        if org.email_pattern:
            email = org.email_pattern.replace("{account}", name.lower().replace(" ", "-"))
        else:
            problems.append(
                located.key_pos(path).problem(
                    f"accounts.{name}: no email, and organization.email_pattern is not set; "
                    "set one of them"
                )
            )
    tags = dict(item.tags)
    for field, key in _attribute_tags(attribute_tags):
        value = getattr(item, field)
        if value is None:
            continue
        if tags.get(key, value) != value:
            where = (*path, field) if field in item.model_fields_set else path
            problems.append(
                located.value_pos(where).problem(
                    f"accounts.{name}.{field}: {value!r} differs from its tag {key}: "
                    f"{tags[key]!r}; {field} sets that tag, keep one of them"
                )
            )
        tags[key] = value
    return Account(
        name=name,
        purpose=item.purpose,
        ou=item.ou,
        email=email,
        stage=item.stage,
        workload=item.workload,
        team=item.team,
        business_unit=item.business_unit,
        owner=item.owner,
        iam_alias=item.iam_alias,
        tags=tags,
        id=item.id,
        email_derived=item.email is None,
        source=_source(located.key_pos(path)),
    )


def _check_unique_emails(
    accounts: list[Account], located: Located, problems: list[Problem]
) -> None:
    seen: dict[str, Account] = {}
    for account in accounts:
        if account.email is None:
            continue
        first = seen.setdefault(account.email.lower(), account)
        if first is not account:
            where = located.value_pos(("accounts", account.name, "email"))
            origin = located.value_pos(("accounts", first.name, "email"))
            problems.append(
                where.problem(
                    f"accounts.{account.name}: email {account.email} is already the root e-mail of "
                    f"account '{first.name}' ({origin.file}:{origin.line}:{origin.column}); "
                    "every account needs its own"
                )
            )


def _check_one_management(
    accounts: list[Account], located: Located, problems: list[Problem]
) -> None:
    managers = [a.name for a in accounts if a.purpose == "management"]
    for extra in managers[1:]:
        problems.append(
            located.value_pos(("accounts", extra, "purpose")).problem(
                f"accounts.{extra}.purpose: '{managers[0]}' is already the management account; "
                "an organization has exactly one"
            )
        )


@dataclass(frozen=True)
class _Known:
    """The OU paths and account names a policy may target: in order (for "did you mean"), and
    as sets (looked up once per target: a policy may target thousands of accounts)."""

    names: dict[str, list[str]]
    sets: dict[str, frozenset[str]]


def _policy(
    name: str,
    item: PolicySpec,
    core: OrgModel,
    known_targets: _Known,
    located: Located,
    problems: list[Problem],
    cut: Broken,
) -> Policy | None:
    path = ("policies", name)
    if name == FULL_AWS_ACCESS:
        problems.append(
            located.key_pos(path).problem(
                f"policies.{name}: {FULL_AWS_ACCESS} is AWS managed; "
                "organization.full_aws_access controls it"
            )
        )
        return None
    positions: Positions = {}
    content = _policy_content(name, item, core, located, problems, positions)
    targets: list[Target] = []
    seen: set[Target] = set()
    for index, text in enumerate(item.targets):
        target = Target.parse(text)
        pos = located.value_pos((*path, "targets", index))
        known = known_targets.sets.get(target.kind)
        if (target.kind == "ou" and cut.has_ou(target.name)) or (
            target.kind == "account" and target.name in cut.accounts
        ):
            continue  # cut out: its own problem is reported, the policy keeps the rest
        if known is not None and target.name not in known:
            problems.append(
                pos.problem(
                    f"policies.{name}.targets: no {target.kind} '{target.name}'"
                    f"{did_you_mean(target.name, known_targets.names[target.kind])}"
                )
            )
        elif target in seen:
            problems.append(pos.problem(f"policies.{name}.targets: {text} is listed twice"))
        else:
            targets.append(target)
            seen.add(target)
    if content is None:
        return None
    return Policy(
        name=name,
        type=PolicyType(item.type),
        content=content,
        description=item.description,
        targets=tuple(targets),
        id=item.id,
        source=_source(located.key_pos(path)),
        positions=MappingProxyType({k: Source(*v) for k, v in positions.items()}),
    )


def _policy_content(
    name: str,
    item: PolicySpec,
    core: OrgModel,
    located: Located,
    problems: list[Problem],
    positions: Positions,
) -> str | None:
    """The policy document, minified (AWS counts the size of what is uploaded)."""
    path = ("policies", name)
    given = [k for k in ("file", "content", "guardrails") if getattr(item, k) is not None]
    if len(given) != 1:
        problems.append(
            located.key_pos(path).problem(
                f"policies.{name}: give exactly one of 'file', 'content' or 'guardrails'"
                + (f" (it has {' and '.join(given)})" if given else "")
            )
        )
        return None
    if item.parameters and item.guardrails is None:
        problems.append(
            located.key_pos((*path, "parameters")).problem(
                f"policies.{name}.parameters: only a policy of guardrails takes parameters"
            )
        )
        return None
    if item.guardrails is not None:
        document = guardrail_document(name, item, core, located, problems)
    else:
        document = policy_document(located, path, item.file, item.content, problems, positions)
    return None if document is None else minified(document)
