"""Nobody inside the log archive or the backup account undoes their guardrails (issue: the
logs and the copies survive their own account's admins). The standard blueprint applied on
the enforcing sandbox; then, from another process with plain boto3, the log archive's admin
(sam.sec, admin there by the blueprint's matrix, with MFA) and an admin role in the backup
account try what would make the logs or the copies unreadable or leave: disable or schedule
deletion of the keys, rewrite their policies, make, re-trust or widen the break-glass role,
replicate the log bucket out or take its ownership. Each is refused, as AWS evaluates the
policies orgstack wrote (key policies, bucket policy, SCPs). The break-glass role itself
answers only sam.sec with MFA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_sandbox import boto3_in_clean_env, orgstack
from tests.e2e.test_security_baseline import standard_applied

pytestmark = pytest.mark.e2e

ATTACK = """
import json, boto3
from botocore.exceptions import ClientError
o = boto3.client("organizations")
ids = {a["Name"]: a["Id"] for a in o.list_accounts()["Accounts"]}
iam = boto3.client("iam")
key = iam.create_access_key(UserName="sam.sec")["AccessKey"]
serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="sam.sec")["VirtualMFADevice"]["SerialNumber"]
iam.enable_mfa_device(UserName="sam.sec", SerialNumber=serial, AuthenticationCode1="123456",
                      AuthenticationCode2="654321")
sam = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])

def session(arn, via=None, mfa=True):
    sts = (via or boto3.Session()).client("sts")
    extra = {"SerialNumber": serial, "TokenCode": "123456"} if mfa else {}
    c = sts.assume_role(RoleArn=arn, RoleSessionName="attacker", **extra)["Credentials"]
    return boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                         aws_session_token=c["SessionToken"])

def attempt(label, call):
    try:
        call()
        return [label, "allowed"]
    except ClientError as exc:
        return [label, exc.response["Error"]["Code"]]

logs_id, backup_id, security_id = ids["log-archive"], ids["backup"], ids["security"]
admin_role = next(r["RoleName"] for r in session(
    f"arn:aws:iam::{logs_id}:role/OrganizationAccountAccessRole", mfa=False).client("iam").list_roles()["Roles"]
    if r["RoleName"].startswith("orgstack-") and r["RoleName"].lower().endswith("admin"))
logs_admin = session(f"arn:aws:iam::{logs_id}:role/{admin_role}", via=sam)
security_admin = session(f"arn:aws:iam::{security_id}:role/{admin_role}", via=sam)
# The backup account's administrator: a role with AdministratorAccess made there.
access = session(f"arn:aws:iam::{backup_id}:role/OrganizationAccountAccessRole", mfa=False)
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
access.client("iam").create_role(RoleName="BackupAdmin", AssumeRolePolicyDocument=json.dumps(trust))
access.client("iam").attach_role_policy(RoleName="BackupAdmin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
backup_admin = session(f"arn:aws:iam::{backup_id}:role/BackupAdmin", mfa=False)

def key_of(who, alias):
    kms = who.client("kms")
    return kms, next(a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == alias)

found = []
for who, label, alias in ((logs_admin, "logs", "alias/orgstack-logs"), (backup_admin, "backup", "alias/orgstack-backup"),
                          (access, "backup-as-orgstack", "alias/orgstack-backup")):
    kms, key_id = key_of(who, alias)
    found.append(attempt(f"{label}: ScheduleKeyDeletion", lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)))
    found.append(attempt(f"{label}: DisableKey", lambda: kms.disable_key(KeyId=key_id)))
    found.append(attempt(f"{label}: DeleteAlias", lambda: kms.delete_alias(AliasName=alias)))
    if label != "backup-as-orgstack":
        found.append(attempt(f"{label}: PutKeyPolicy", lambda: kms.put_key_policy(KeyId=key_id, PolicyName="default",
            Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]}))))
for who, label in ((logs_admin, "logs"), (backup_admin, "backup"), (security_admin, "security")):
    i = who.client("iam")
    found.append(attempt(f"{label}: UpdateAssumeRolePolicy", lambda: i.update_assume_role_policy(
        RoleName="OrgstackBreakGlass", PolicyDocument=json.dumps(trust))))
    found.append(attempt(f"{label}: AttachRolePolicy", lambda: i.attach_role_policy(
        RoleName="OrgstackBreakGlass", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")))
    found.append(attempt(f"{label}: CreateRole", lambda: i.create_role(
        RoleName="OrgstackBreakGlass", AssumeRolePolicyDocument=json.dumps(trust))))
s3 = logs_admin.client("s3")
bucket = f"example-logs-{logs_id}"
found.append(attempt("logs: PutBucketReplication", lambda: s3.put_bucket_replication(Bucket=bucket,
    ReplicationConfiguration={"Role": f"arn:aws:iam::{logs_id}:role/x", "Rules": [{"Status": "Enabled", "Prefix": "",
    "Destination": {"Bucket": "arn:aws:s3:::elsewhere"}}]})))
found.append(attempt("logs: PutBucketOwnershipControls", lambda: s3.put_bucket_ownership_controls(Bucket=bucket,
    OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})))
found.append(attempt("logs: PutBucketPolicy", lambda: s3.put_bucket_policy(Bucket=bucket, Policy="{}")))
glass = f"arn:aws:iam::{logs_id}:role/OrgstackBreakGlass"
found.append(attempt("glass: without MFA", lambda: session(glass, via=sam, mfa=False)))
found.append(attempt("glass: with MFA", lambda: session(glass, via=sam)))
print(json.dumps(found))
"""


def test_no_admin_of_the_log_archive_or_backup_account_undoes_their_guardrails(
    tmp_path: Path,
) -> None:
    try:
        env = standard_applied(tmp_path)
        attacked = boto3_in_clean_env(env, ATTACK)
        assert attacked.returncode == 0, attacked.stderr
        denied = "AccessDeniedException"
        assert json.loads(attacked.stdout) == [
            ["logs: ScheduleKeyDeletion", denied],
            ["logs: DisableKey", denied],
            ["logs: DeleteAlias", denied],
            ["logs: PutKeyPolicy", denied],
            ["backup: ScheduleKeyDeletion", denied],
            ["backup: DisableKey", denied],
            ["backup: DeleteAlias", denied],
            ["backup: PutKeyPolicy", denied],
            ["backup-as-orgstack: ScheduleKeyDeletion", denied],
            ["backup-as-orgstack: DisableKey", denied],
            ["backup-as-orgstack: DeleteAlias", denied],
            ["logs: UpdateAssumeRolePolicy", "AccessDenied"],
            ["logs: AttachRolePolicy", "AccessDenied"],
            ["logs: CreateRole", "AccessDenied"],
            ["backup: UpdateAssumeRolePolicy", "AccessDenied"],
            ["backup: AttachRolePolicy", "AccessDenied"],
            ["backup: CreateRole", "AccessDenied"],
            ["security: UpdateAssumeRolePolicy", "AccessDenied"],
            ["security: AttachRolePolicy", "AccessDenied"],
            ["security: CreateRole", "AccessDenied"],
            ["logs: PutBucketReplication", "AccessDenied"],
            ["logs: PutBucketOwnershipControls", "AccessDenied"],
            ["logs: PutBucketPolicy", "AccessDenied"],
            ["glass: without MFA", "AccessDenied"],
            ["glass: with MFA", "allowed"],
        ]
        again = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        orgstack(tmp_path, "sandbox", "stop")
