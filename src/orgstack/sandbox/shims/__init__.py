"""Shims for behaviour moto lacks and orgstack relies on (see the sandbox notes).

Only the sandbox server and the tests install them; production code never imports this module.

- ``unique_account_emails``: AWS refuses a root e-mail that already belongs to an account
  (CreateAccount ends FAILED with EMAIL_ALREADY_EXISTS); moto creates a second account. Without
  this shim a retried CreateAccount whose first answer was lost (a timeout, an injected fault)
  makes a duplicate in the emulator that AWS would never make.
- ``fast_caller_lookup``: moto finds the account behind an access key by scanning every
  account and partition on every request (creating IAM backends on the way), so each request
  slows as accounts grow; it remembers the answer per key. Keys are never reused, so a
  remembered answer stays right.
- ``lazy_managed_policies``: moto has AWS managed policies (PowerUserAccess, ReadOnlyAccess…)
  only with ``MOTO_IAM_LOAD_MANAGED_POLICIES``, which copies all 1,582 of them into every
  account and partition (about 1 s and 33 MB per account). AWS has them everywhere; the shim
  creates one in an account the first time something attaches or reads it there, so a
  20-account sandbox with access roles stays small and attachments apply and read back.
- ``permission_set_policy_paths``: moto's Identity Center looks up a managed policy's path
  under ``path`` instead of ``Path``, so every policy outside ``/`` (job-function/Billing,
  job-function/ViewOnlyAccess…) is "not found"; AWS attaches them.
- ``identity_store_update_user``: moto's identity store has no UpdateUser; AWS changes a user's
  display name and e-mails with it (orgstack does when the spec changes them).
- ``unique_account_aliases``: an IAM account alias is unique across AWS; moto lets every
  account take the same one. The shim refuses an alias another account has
  (EntityAlreadyExists), as AWS does.
- ``update_role_keeps_omitted_fields``: AWS's UpdateRole changes only the fields it is given;
  moto sets an omitted Description to none and an omitted MaxSessionDuration to one hour.
- ``service_specific_credentials_listing``: moto has no ListServiceSpecificCredentials;
  deleting an IAM user (``--allow-delete``) lists them first, as AWS requires them gone. The
  shim answers with none (moto cannot create any).
- ``organizations_limits`` (``organizations.py``): AWS refuses a policy over its type's size
  (5,120 characters for SCPs, as sent), invalid policy JSON, more policies of a type on one
  target than allowed (5 SCPs, 10 tag policies), attaching a type the root has not enabled,
  OUs more than five deep, two OUs of one name under one parent (moto refuses one name under
  any parent on rename, none on create), OU names over 128 and account names over 50
  characters; moto accepts all of them.
- ``account_names`` (``organizations.py``): moto has no PutAccountName; AWS renames an account
  with it, needs trusted access for ``account.amazonaws.com`` to rename another account, and
  refuses the management account naming itself by AccountId.
- ``assume_role_authorization`` (``authorization.py``): moto lets anyone assume any role; AWS
  checks the role's trust and the caller's identity policies, with their MFA and tag
  conditions. Opt-in per sandbox (``sandbox start --enforce-iam``, on in the demo), so
  ``orgstack access --verify`` can prove the matrix.
- ``every_policy_type`` (``organizations.py``): moto refuses chatbot and EC2 declarative
  policies (InvalidInputException) and fails on creating a backup policy (an internal error,
  though it enables the type); AWS has all three. The shim creates, lists, attaches and enables
  them like the other types, with AWS's ARN for each.
- ``delegated_admins`` (``organizations.py``): moto's RegisterDelegatedAdministrator takes 6
  service principals (securityhub, config, cloudtrail, backup, sso … are "unrecognized") and
  needs no trusted access; AWS takes every principal of its list, and only after trusted access
  for it is enabled ("unrecognized service principal" before). The shim does the same.
- ``logging_target_policies`` (``storage.py``): moto crashes on PutBucketLogging when the
  target bucket's policy has a statement with ``"Principal": "*"`` (a TLS-only deny); AWS
  takes any principal form. The shim makes moto's own check read every form.
- ``locked_buckets_stay_versioned`` (``storage.py``): AWS refuses to suspend versioning on a
  bucket with Object Lock (InvalidBucketState); moto suspends it.
- ``config_delivery_needs_unlocked_bucket`` (``storage.py``): AWS Config does not support a
  delivery channel into a bucket with Object Lock, and checks the bucket as it saves the
  channel (InsufficientDeliveryPolicyException; NoSuchBucketException for a bucket that does
  not exist); moto saves any bucket name.
- ``guardduty_membership`` (``guardduty.py``): AWS makes every account of the organization a
  GuardDuty member when the administrator's auto-enable is ALL (ALL and NEW enrol accounts
  that join later), has ListMembers, DisassociateMembers and DeleteMembers (refused while
  auto-enable is ALL), and refuses to remove an administrator that still has members; moto
  has no members at all.
- ``guardduty_organization_configuration`` (``security.py``): moto has no
  Describe/UpdateOrganizationConfiguration for a GuardDuty detector; AWS keeps the
  organization's auto-enable setting per detector. The shim keeps it (NONE until set).
- ``securityhub_membership`` (``securityhub.py``): Security Hub's organization configuration is
  per Region (moto keeps one); CreateMembers makes an organization account a member at once
  and turns Security Hub on in it with AWS's default standards unless AutoEnableStandards is
  NONE, and refuses the management account until it turned Security Hub on itself;
  AutoEnable enrols only accounts that join later; EnableSecurityHub turns the default
  standards on unless told not to; ListMembers honours ``OnlyAssociated=false``. moto enrols
  no one, turns nothing on and keeps no standards.
- ``securityhub_organization`` (``security.py``): moto has no ListOrganizationAdminAccounts,
  BatchEnableStandards or GetEnabledStandards; the shim answers with the administrator moto
  records and the standards enabled per account and Region.
- ``one_administrator_per_service`` (``security.py``): AWS refuses a second GuardDuty or
  Security Hub administrator until the first is removed (DisableOrganizationAdminAccount);
  moto adds or replaces it and has no DisableOrganizationAdminAccount.
- ``access_analyzer`` (``accessanalyzer.py``): moto has no IAM Access Analyzer at all; the
  shim answers Create/Get/List/DeleteAnalyzer and, like AWS, lets only the management
  account or the delegated administrator for access-analyzer.amazonaws.com create an
  organization analyzer.
- ``aws_managed_default_keys`` (``encryption.py``): moto makes EBS's default key
  (``alias/aws/ebs``) a customer managed key; AWS manages it (``KeyManager: AWS``), which is
  what keeps its backups in their account.
- ``backup_vault_policies`` (``backup.py``, ``encryption.py``): moto's AWS Backup has vaults and
  Vault Lock but no vault access policies, global settings (cross-account backup), backup or
  copy jobs, recovery points or DeleteRecoveryPoint. The shim keeps them per account and Region:
  a backup job makes a recovery point at once; a copy job into another account's vault fails,
  with AWS's reasons, unless the organization's management account enabled cross-account backup
  in the Region and the destination's access policy allows ``backup:CopyIntoBackupVault``, and
  its retention is within the destination's lock; deleting a recovery point is refused for
  another account's point, by a Deny of the vault's access policy (``aws:PrincipalArn``,
  ``aws:PrincipalOrgID`` …) or while the lock's minimum retention runs; deleting a vault is
  refused by a Deny of its policy or while it holds recovery points. UpdateGlobalSettings is
  refused outside the management account and before trusted access for backup.amazonaws.com. A
  backup job whose role does not exist fails (ListBackupJobs, DescribeBackupJob), as a policy's
  jobs do in an account that lacks the role. The backup of an EBS volume, an EC2 instance or an
  RDS instance or cluster keeps the resource's own key, and its copy into another account fails
  when that key is AWS managed (``aws/ebs``, ``aws/rds``) or not shared with the destination by
  its key policy.
- ``contacts_need_trusted_access``: AWS refuses to read or set another account's alternate
  contacts (AccountId) until the organization enabled trusted access for
  ``account.amazonaws.com``; moto allows it. The shim refuses it (AccessDeniedException).
"""

from __future__ import annotations

from orgstack.sandbox.shims.accessanalyzer import access_analyzer
from orgstack.sandbox.shims.authorization import assume_role_authorization, enforce
from orgstack.sandbox.shims.backup import backup_vault_policies
from orgstack.sandbox.shims.encryption import aws_managed_default_keys
from orgstack.sandbox.shims.gaps import (
    contacts_need_trusted_access,
    fast_caller_lookup,
    identity_store_update_user,
    lazy_managed_policies,
    permission_set_policy_paths,
    service_specific_credentials_listing,
    unique_account_aliases,
    unique_account_emails,
    update_role_keeps_omitted_fields,
)
from orgstack.sandbox.shims.guardduty import guardduty_membership
from orgstack.sandbox.shims.organizations import (
    account_names,
    delegated_admins,
    every_policy_type,
    organizations_limits,
)
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
    assume_role_authorization()  # checks only while enforce(True)


__all__ = ["enforce", "install_all"]
