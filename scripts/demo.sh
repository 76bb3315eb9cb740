#!/usr/bin/env bash
# The greenfield and brownfield journeys on the local sandbox: organization, guardrails and
# cross-account access (switch-role roles, groups, MFA), the log archive (organization trail
# into a locked bucket) and delegated security services, backups copied into a locked vault of
# the backup account, day-two account details (alias,
# owner, alternate contacts), then import, audit and drift.
set -euo pipefail

work="${ORGSTACK_DEMO_DIR:-.demo}"
rm -rf "$work"
mkdir -p "$work"
export ORGSTACK_STATE_DIR="$PWD/$work/.orgstack"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
cleanup() { orgstack sandbox stop || true; }
trap cleanup EXIT
# The demo's snippets act as people in member accounts: `as_member("app-prod").client("s3")`.
cat > "$work/demo_aws.py" <<'PY'
import boto3


def accounts() -> dict[str, str]:
    return {a["Name"]: a["Id"] for a in boto3.client("organizations").list_accounts()["Accounts"]}


def as_member(name: str, who: str = "demo", session: boto3.Session | None = None) -> boto3.Session:
    """A session in the member account ``name`` through OrganizationAccountAccessRole."""
    sts = (session or boto3.Session()).client("sts")
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{accounts()[name]}:role/OrganizationAccountAccessRole",
        RoleSessionName=who,
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
PY
export PYTHONPATH="$(cd "$work" && pwd)${PYTHONPATH:+:$PYTHONPATH}"

step "1. Start the sandbox: an empty AWS management account on 127.0.0.1 (checking AssumeRole as AWS does)"
eval "$(orgstack sandbox start --enforce-iam)"
orgstack sandbox status
python - <<'PY'
import boto3
print("caller:", boto3.client("sts").get_caller_identity()["Arn"], "(sandbox credentials)")
PY

step "2. orgstack init --blueprint minimal: write a commented spec"
orgstack init --blueprint minimal --name acme --domain acme.example -o "$work/orgstack.yaml"

step "3. orgstack validate: AWS limits and best practices, offline"
orgstack validate -f "$work/orgstack.yaml"

step "4. orgstack plan: what apply would do on a brand-new management account"
orgstack plan -f "$work/orgstack.yaml" --sandbox -o "$work/plan.json" --stats

step "5. orgstack apply plan.json: exactly the reviewed plan, journaled, resumable"
orgstack apply "$work/plan.json" --sandbox

step "6. orgstack plan --detailed-exitcode: nothing left to do (exit 0)"
orgstack plan -f "$work/orgstack.yaml" --sandbox --detailed-exitcode

step "6a. orgstack access --matrix: who may do what, group × account (the least-privilege proof)"
orgstack access -f "$work/orgstack.yaml" --matrix

step "6b. orgstack access --user dana.dev: ~/.aws/config profiles and console switch-role links"
orgstack access -f "$work/orgstack.yaml" --sandbox --user dana.dev

step "6b2. orgstack access --verify: every user assumes exactly the roles the matrix grants, with MFA"
orgstack access -f "$work/orgstack.yaml" --sandbox --verify

step "6c. Someone widens a role's trust in the console: drift shows it, the next apply reverts it"
python - <<'PY'
import json
from demo_aws import as_member
iam = as_member("app-prod", "console-user").client("iam")
anyone = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}
iam.update_assume_role_policy(RoleName="orgstack-ReadOnly", PolicyDocument=json.dumps(anyone))
print("app-prod: orgstack-ReadOnly now trusts account 999999999999, without MFA")
PY
orgstack drift -f "$work/orgstack.yaml" --sandbox || true
orgstack plan -f "$work/orgstack.yaml" --sandbox -o "$work/revert.json"
orgstack apply "$work/revert.json" --sandbox
orgstack plan -f "$work/orgstack.yaml" --sandbox --detailed-exitcode

step "6c1. Someone edits a saved plan (a trust for a stranger, the digest recomputed) and replays an old one: apply refuses both"
python - "$work" <<'PY'
import json, sys
from orgstack.plan.planfile import content_digest
work = sys.argv[1]
data = json.load(open(f"{work}/plan.json"))
for change in data["changes"]:
    trust = (change.get("after") or {}).get("trust")
    if trust:
        trust["Statement"][0]["Principal"] = {"AWS": ["arn:aws:iam::999999999999:root"]}
        trust["Statement"][0].pop("Condition", None)
data.pop("digest")
data["digest"] = content_digest(data)
json.dump(data, open(f"{work}/forged.json", "w"), indent=2)
print("forged.json: every role now trusts account 999999999999 without MFA; its digest matches")
PY
orgstack apply "$work/forged.json" --sandbox --auto-approve || true
echo "A new CI runner (no journal here) applies the first plan again, after the revert:"
mv "$work/.orgstack/journal" "$work/journal-elsewhere"
orgstack apply "$work/plan.json" --sandbox --auto-approve || true
mv "$work/journal-elsewhere" "$work/.orgstack/journal"

step "6c2. The log archive: an organization trail into a locked bucket; someone stops the trail"
python - <<'PY'
import boto3
from demo_aws import accounts, as_member
archive = accounts()["log-archive"]
s3 = as_member("log-archive", "auditor").client("s3")
bucket = f"acme-logs-{archive}"
lock = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]["Rule"]
print(f"s3://{bucket}: Object Lock {lock['DefaultRetention']['Mode']} {lock['DefaultRetention']['Days']} days")
trail = boto3.client("cloudtrail")
found = trail.describe_trails(trailNameList=["orgstack-organization-trail"])["trailList"][0]
print(f"trail {found['Name']}: organization={found['IsOrganizationTrail']} multi-region={found['IsMultiRegionTrail']} validation={found['LogFileValidationEnabled']} → {found['S3BucketName']}")
registered = boto3.client("organizations").list_delegated_administrators()["DelegatedAdministrators"]
print("delegated administrators:", ", ".join(a["Name"] for a in registered))
channel = as_member("app-prod").client("config").describe_delivery_channels()["DeliveryChannels"][0]
print(f"app-prod's AWS Config → s3://{channel['s3BucketName']} (its own bucket: Config cannot deliver into a locked one)")
members = as_member("security").client("securityhub").list_members(OnlyAssociated=False)["Members"]
print(f"Security Hub in security: {len(members)} member accounts, of {len(accounts()) - 1} others")
trail.stop_logging(Name="orgstack-organization-trail")
print("someone stopped the organization trail")
PY
python - <<'PY'
from botocore.exceptions import ClientError
from demo_aws import as_member
kms = as_member("log-archive", "log-admin").client("kms")
key = next(a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/orgstack-logs")
for call in ("schedule_key_deletion", "disable_key"):
    try:
        getattr(kms, call)(KeyId=key)
        print(f"{call}: allowed (!)")
    except ClientError as exc:
        print(f"the log archive's admin: {call} on the log key → {exc.response['Error']['Code']} (its key policy denies it to all but the break-glass role)")
PY
orgstack audit -f "$work/orgstack.yaml" --sandbox --select LZ214,LZ215,LZ216 || true
orgstack plan -f "$work/orgstack.yaml" --sandbox -o "$work/restore-trail.json"
orgstack apply "$work/restore-trail.json" --sandbox
orgstack plan -f "$work/orgstack.yaml" --sandbox --detailed-exitcode

step "6c3. Backups: app-prod's tagged volume is copied into the backup account's locked vault; an attacker in app-prod cannot reach the copy"
python - <<'PY'
from demo_aws import as_member
vault = as_member("backup").client("backup").describe_backup_vault(BackupVaultName="orgstack-central")
print(f"vault {vault['BackupVaultName']}: locked={vault['Locked']} min={vault['MinRetentionDays']} max={vault['MaxRetentionDays']} days, immutable from {vault['LockDate']:%Y-%m-%d}")
volume = as_member("app-prod").client("ec2").create_volume(
    AvailabilityZone="us-east-1a", Size=8, Encrypted=True, KmsKeyId="alias/orgstack-backup-source",
    TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}],
)
print(f"app-prod: volume {volume['VolumeId']} tagged backup=daily, encrypted with the source key orgstack shares with the backup account")
PY
orgstack sandbox run-backups --role OrganizationAccountAccessRole
orgstack backup status -f "$work/orgstack.yaml" --sandbox
python - <<'PY'
from botocore.exceptions import ClientError
from demo_aws import as_member
attacker = as_member("app-prod", "attacker")
backup = attacker.client("backup")
for point in backup.list_recovery_points_by_backup_vault(BackupVaultName="orgstack-local")["RecoveryPoints"]:
    backup.delete_recovery_point(BackupVaultName="orgstack-local", RecoveryPointArn=point["RecoveryPointArn"])
    print("attacker in app-prod deleted its own backup", point["RecoveryPointArn"].rsplit(":", 1)[-1])
try:
    as_member("backup", "attacker", session=attacker)
except ClientError as exc:
    print("attacker → backup account:", exc.response["Error"]["Code"])
central = as_member("backup", "backup-admin").client("backup")
copy = central.list_recovery_points_by_backup_vault(BackupVaultName="orgstack-central")["RecoveryPoints"][0]
try:
    central.delete_recovery_point(BackupVaultName="orgstack-central", RecoveryPointArn=copy["RecoveryPointArn"])
except ClientError as exc:
    print("even the backup account's admin → the central copy:", exc.response["Error"]["Code"], "(the vault policy's Deny; Vault Lock behind it)")
PY
orgstack backup status -f "$work/orgstack.yaml" --sandbox --format json | python -c 'import json,sys; a=[x for x in json.load(sys.stdin)["accounts"] if x["account"]=="app-prod"][0]; print("app-prod copies in the central vault:", a["copies_in_window"], "| status:", a["status"])'
orgstack audit -f "$work/orgstack.yaml" --sandbox --select LZ218

step "6c4. A volume on the account's default key (aws/ebs, AWS managed) can never be copied into another account: audit names it before a backup is lost"
python - <<'PY'
from demo_aws import as_member
ec2 = as_member("app-dev").client("ec2")
volume = ec2.create_volume(
    AvailabilityZone="us-east-1a", Size=8, Encrypted=True,
    TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}],
)
print(f"app-dev: volume {volume['VolumeId']} tagged backup=daily, encrypted with aws/ebs")
PY
orgstack audit -f "$work/orgstack.yaml" --sandbox --select LZ219,LZ220 || echo "(exit $?: LZ219 names the volume; fix: encrypt it with alias/orgstack-backup-source)"

step "6c5. Stage isolation: no path from dev into prod; then someone in app-prod trusts app-dev and opens a bucket to it — orgstack isolation names both paths and exits 1"
orgstack isolation -f "$work/orgstack.yaml" --sandbox
python - <<'PY'
import json
from demo_aws import accounts, as_member
dev = f"arn:aws:iam::{accounts()['app-dev']}:root"
prod = as_member("app-prod", "a-developer")
prod.client("iam").create_role(RoleName="dev-debug", AssumeRolePolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Sid": "DevDebugging", "Effect": "Allow",
     "Principal": {"AWS": dev}, "Action": "sts:AssumeRole"}]}))
s3 = prod.client("s3")
s3.create_bucket(Bucket="app-prod-customers")
s3.put_bucket_policy(Bucket="app-prod-customers", Policy=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Sid": "DevReadsProdData", "Effect": "Allow",
     "Principal": {"AWS": dev}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::app-prod-customers/*"}]}))
print("app-prod: role dev-debug trusts app-dev; bucket app-prod-customers lets app-dev read it")
PY
orgstack isolation -f "$work/orgstack.yaml" --sandbox || echo "(exit $?: two paths from dev into prod, each with what opens it and how to close it)"
python - <<'PY'
from demo_aws import as_member
prod = as_member("app-prod", "a-developer")
prod.client("iam").delete_role(RoleName="dev-debug")
prod.client("s3").delete_bucket_policy(Bucket="app-prod-customers")
print("closed: the role is gone, the bucket policy removed")
PY
orgstack isolation -f "$work/orgstack.yaml" --sandbox --format json | python -c 'import json,sys; d=json.load(sys.stdin); print("paths between stages now:", len(d["paths"]))'

step "6d. Day two: a sign-in alias for app-dev and alternate contacts for every account"
python - "$work/orgstack.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = text.replace("  app-dev:\n", "  app-dev:\n    iam_alias: acme-app-dev\n    owner: app-team@acme.example\n", 1)
text += """
alternate_contacts:
  default:
    security: {name: Security team, title: Security operations, email: security@acme.example, phone: '+1 555 0100'}
    billing: {name: Finance team, title: Cloud cost, email: cloud-billing@acme.example, phone: '+1 555 0101'}
"""
open(path, "w", encoding="utf-8").write(text)
PY
orgstack plan -f "$work/orgstack.yaml" --sandbox -o "$work/day-two.json"
orgstack apply "$work/day-two.json" --sandbox
orgstack plan -f "$work/orgstack.yaml" --sandbox --detailed-exitcode

step "6e. plan --target account:app-dev: only that account is read and planned (a few calls, whatever the organization's size); the rest waits for the next whole plan"
python - "$work/orgstack.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
for name in ("app-dev", "app-qa"):
    text = text.replace(f"  {name}:\n", f"  {name}:\n    tags: {{cost-center: cc-1234}}\n", 1)
open(path, "w", encoding="utf-8").write(text)
PY
orgstack plan -f "$work/orgstack.yaml" --sandbox --target account:app-dev -o "$work/partial.json" --stats 2> "$work/partial-stats.txt"
grep '^total' "$work/partial-stats.txt"
orgstack apply "$work/partial.json" --sandbox
orgstack plan -f "$work/orgstack.yaml" --sandbox -o "$work/rest.json"
orgstack apply "$work/rest.json" --sandbox
orgstack plan -f "$work/orgstack.yaml" --sandbox --detailed-exitcode

step "6f. orgstack import into an empty folder: the organization and its baselines (logging, security, backup, access, contacts, break glass) come back as the spec's sections; its plan is empty"
mkdir -p "$work/taken-over"
orgstack import --sandbox -o "$work/taken-over/orgstack.yaml" --name acme
orgstack plan -f "$work/taken-over/orgstack.yaml" --sandbox --detailed-exitcode

step "7. Brownfield: an organization made by hand (restart the sandbox with one)"
orgstack sandbox reset --with-organization > /dev/null
python - <<'PY'
import json
import boto3
c = boto3.client("organizations")
root = c.list_roots()["Roots"][0]["Id"]
c.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
prod = c.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
for name in ("shop-prod", "shop-dev", "Security Audit"):
    account = c.create_account(AccountName=name, Email=f"{name.replace(' ', '-').lower()}@acme.example")
    if name == "shop-prod":
        c.move_account(AccountId=account["CreateAccountStatus"]["AccountId"], SourceParentId=root, DestinationParentId=prod)
deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
policy = c.create_policy(Name="NoLeaving", Description="hand-made", Type="SERVICE_CONTROL_POLICY", Content=json.dumps(deny))
c.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=prod)
print("made by hand: 1 OU, 3 accounts, 1 SCP")
PY

step "8. orgstack import, then plan: no changes"
orgstack import --sandbox --name acme -o "$work/brownfield/orgstack.yaml"
orgstack plan --sandbox -f "$work/brownfield/orgstack.yaml" --detailed-exitcode

step "9. orgstack audit: the same rules on the live organization (read-only)"
orgstack audit --sandbox -f "$work/brownfield/orgstack.yaml" || true

step "10. Someone moves an account in the console: orgstack drift shows it, --adopt accepts it"
python - <<'PY'
import boto3
c = boto3.client("organizations")
root = c.list_roots()["Roots"][0]["Id"]
prod = c.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"][0]["Id"]
dev = next(a for a in c.list_accounts()["Accounts"] if a["Name"] == "shop-dev")
c.move_account(AccountId=dev["Id"], SourceParentId=root, DestinationParentId=prod)
PY
orgstack drift --sandbox -f "$work/brownfield/orgstack.yaml" || true
orgstack drift --sandbox -f "$work/brownfield/orgstack.yaml" --adopt > /dev/null
orgstack plan --sandbox -f "$work/brownfield/orgstack.yaml"

step "11. orgstack diagram --live: the organization as AWS has it, as Mermaid (renders on GitHub)"
orgstack diagram --sandbox --live -f "$work/brownfield/orgstack.yaml"

step "12. Stop the sandbox"
trap - EXIT
orgstack sandbox stop
orgstack sandbox status

step "13. The page to share: orgstack report (offline, from the first spec), and its diagram as SVG"
orgstack diagram -f "$work/orgstack.yaml" --format svg -o "$work/organization.svg"
orgstack report -f "$work/orgstack.yaml" -o "$work/report.html"
echo
echo "Done. The specs, policies and the plan file are in $work/."
echo "Open the report: $work/report.html"
