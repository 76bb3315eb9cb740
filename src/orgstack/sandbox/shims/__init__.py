"""Shims for behaviour moto lacks or gets wrong and orgstack relies on: each makes the sandbox
refuse what AWS refuses, or answer what AWS answers, for one behaviour.

Only the sandbox server and the tests install them; production code never imports this module.
Every shim ``install_all`` installs is listed in ``docs/sandbox.md`` with the AWS behaviour, the
AWS page it follows and its tests (``tests/unit/test_sandbox_notes.py`` keeps that true).
"""

from __future__ import annotations

from orgstack.sandbox.shims.accessanalyzer import access_analyzer
from orgstack.sandbox.shims.authorization import assume_role_authorization, enforce
from orgstack.sandbox.shims.backup import backup_vault_policies
from orgstack.sandbox.shims.directconnect import direct_connect_gateways
from orgstack.sandbox.shims.encryption import aws_managed_default_keys
from orgstack.sandbox.shims.enforcement import administrator_access_role, guarded_calls
from orgstack.sandbox.shims.gaps import (
    contacts_need_trusted_access,
    fast_caller_lookup,
    fast_service_lookup,
    identity_store_update_user,
    lazy_managed_policies,
    permission_set_policy_paths,
    service_specific_credentials_listing,
    unique_account_aliases,
    unique_account_emails,
    update_role_keeps_omitted_fields,
)
from orgstack.sandbox.shims.guardduty import guardduty_membership
from orgstack.sandbox.shims.network import shared_transit_gateways
from orgstack.sandbox.shims.organizations import (
    account_names,
    delegated_admins,
    every_policy_type,
    organizations_limits,
)
from orgstack.sandbox.shims.peering import overlapping_peerings_fail
from orgstack.sandbox.shims.ram import ram_sharing_with_organization
from orgstack.sandbox.shims.security import (
    guardduty_organization_configuration,
    one_administrator_per_service,
    securityhub_organization,
)
from orgstack.sandbox.shims.securityhub import securityhub_membership
from orgstack.sandbox.shims.storage import (
    config_delivery_needs_unlocked_bucket,
    locked_buckets_stay_versioned,
    logging_target_policies,
)


def install_all() -> None:
    unique_account_emails()
    fast_caller_lookup()
    fast_service_lookup()
    lazy_managed_policies()
    permission_set_policy_paths()
    identity_store_update_user()
    unique_account_aliases()
    update_role_keeps_omitted_fields()
    contacts_need_trusted_access()
    service_specific_credentials_listing()
    organizations_limits()
    every_policy_type()
    delegated_admins()
    account_names()
    logging_target_policies()
    locked_buckets_stay_versioned()
    config_delivery_needs_unlocked_bucket()
    guardduty_organization_configuration()
    securityhub_organization()
    securityhub_membership()
    one_administrator_per_service()
    guardduty_membership()  # after the two above, whose calls it extends
    access_analyzer()
    backup_vault_policies()
    aws_managed_default_keys()
    ram_sharing_with_organization()
    shared_transit_gateways()
    overlapping_peerings_fail()
    direct_connect_gateways()
    administrator_access_role()
    assume_role_authorization()  # checks only while enforce(True)
    guarded_calls()  # checks only while enforce(True)


__all__ = ["enforce", "install_all"]
