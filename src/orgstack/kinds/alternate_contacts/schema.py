"""The ``alternate_contacts:`` section: contacts for every account, overridden per account."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from orgstack.errors import Problem
from orgstack.spec.fields import Strict
from orgstack.spec.yamlread import Located

SECTION = "alternate_contacts"
DESCRIPTION = "Alternate contacts (billing, operations, security) of every account."
TYPES = ("billing", "operations", "security")


class ContactSpec(Strict):
    """A person or team AWS may contact; the limits are the Account Management API's."""

    name: Annotated[str, Field(min_length=1, max_length=64, description="Who, e.g. Cloud Team.")]
    title: Annotated[
        str, Field(min_length=1, max_length=50, description="Their role, e.g. Platform lead.")
    ]
    email: Annotated[
        str,
        Field(
            min_length=1,
            max_length=254,
            pattern=r"^[\w+=.#|!&-]+@[\w.-]+\.\w+$",
            description="E-mail, ideally a list that outlives people.",
        ),
    ]
    phone: Annotated[
        str,
        Field(
            min_length=1,
            max_length=25,
            pattern=r"^[\s0-9()+-]+$",
            description="Phone number: digits, spaces, + - ( ).",
        ),
    ]


class ContactsSpec(Strict):
    """The contacts of one account (or of every account): any of the three types."""

    billing: Annotated[ContactSpec | None, Field(description="Billing questions.")] = None
    operations: Annotated[ContactSpec | None, Field(description="Operational notices.")] = None
    security: Annotated[ContactSpec | None, Field(description="Security notifications.")] = None


class AlternateContactsSpec(Strict):
    """Contacts for every account (``default``), and per account (``accounts``)."""

    default: Annotated[
        ContactsSpec, Field(description="The contacts of every account of the spec.")
    ] = ContactsSpec()
    accounts: Annotated[
        dict[str, ContactsSpec],
        Field(description="Per account name: contacts that replace the default ones."),
    ] = {}


Schema = AlternateContactsSpec


def compile(
    section: AlternateContactsSpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, dict[str, dict[str, str]]]:
    """Account name → type → contact, for every account of the spec; unknown account names
    are errors."""
    from orgstack.spec.messages import did_you_mean

    names = [a.name for a in model.accounts]
    for name in section.accounts:
        if name not in names:
            problems.append(
                located.key_pos((SECTION, "accounts", name)).problem(
                    f"{SECTION}.accounts.{name}: no account '{name}'"
                    f"{did_you_mean(name, names)}; use a key of accounts"
                )
            )
    found: dict[str, dict[str, dict[str, str]]] = {}
    for name in names:
        own = section.accounts.get(name)
        contacts = {}
        for type_ in TYPES:
            contact = (own and getattr(own, type_)) or getattr(section.default, type_)
            if contact is not None:
                contacts[type_] = contact.model_dump()
        if contacts:
            found[name] = contacts
    return found
