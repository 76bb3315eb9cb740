"""An organization built by hand, the way a customer built theirs before orgstack (plain API
calls from another process, no orgstack code), imports into a spec orgstack accepts, and the
plan right after is empty: OUs three levels deep with '/', non-ASCII and backslashes in their
names, tagged accounts (one with '/' in its name), root tags, and a policy of every type with
spaces and non-ASCII in its name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.e2e.test_sandbox import boto3_in_clean_env, exports, orgstack

pytestmark = pytest.mark.e2e

POLICIES = {
    "SERVICE_CONTROL_POLICY": (
        "Deny leaving – the organization",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
            ],
        },
    ),
    "RESOURCE_CONTROL_POLICY": (
        "Require TLS for S3",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
                }
            ],
        },
    ),
    "TAG_POLICY": (
        "Cost center",
        {"tags": {"costcenter": {"tag_key": {"@@assign": "CostCenter"}}}},
    ),
    "BACKUP_POLICY": (
        "Daily backups",
        {
            "plans": {
                "daily": {
                    "regions": {"@@assign": ["us-east-1"]},
                    "rules": {
                        "daily": {
                            "schedule_expression": {"@@assign": "cron(0 5 ? * * *)"},
                            "target_backup_vault_name": {"@@assign": "Default"},
                        }
                    },
                    "selections": {
                        "tags": {
                            "tagged": {
                                "iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/backup"},
                                "tag_key": {"@@assign": "backup"},
                                "tag_value": {"@@assign": ["daily"]},
                            }
                        }
                    },
                }
            }
        },
    ),
    "AISERVICES_OPT_OUT_POLICY": (
        "Opt out: every AI service",
        {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}},
    ),
    "CHATBOT_POLICY": (
        "Chatbot Slack only",
        {
            "chatbot": {
                "platforms": {
                    "slack": {"client": {"@@assign": "enabled"}},
                    "microsoft_teams": {"client": {"@@assign": "disabled"}},
                }
            }
        },
    ),
    "DECLARATIVE_POLICY_EC2": (
        "IMDSv2 requis",
        {
            "ec2_attributes": {
                "instance_metadata_defaults": {"http_tokens": {"@@assign": "required"}}
            }
        },
    ),
}

BUILD = """
import boto3, json
c = boto3.client("organizations")
root = c.list_roots()["Roots"][0]["Id"]
c.tag_resource(ResourceId=root, Tags=[{"Key": "owner", "Value": "platform"}])
for t in POLICIES:
    c.enable_policy_type(RootId=root, PolicyType=t)
ids = {}
def ou(parent, name):
    return c.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
workloads = ou(root, "Workloads")
dev_test = ou(workloads, "Dev/Test")
team = ou(dev_test, "Équipe données")
odd = ou(root, "Sandbox \\\\ labs")
def account(name, parent, **tags):
    made = c.create_account(AccountName=name, Email=name.replace("/", "-").replace(" ", "-") + "@acme.example",
                            Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    account_id = made["CreateAccountStatus"]["AccountId"]
    c.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
    return account_id
account("web/api-dev", team, stage="dev", team="web")
account("Prod Web", workloads, environment="prod")
account("lab", odd)
for t, (name, content) in POLICIES.items():
    p = c.create_policy(Name=name, Description="by hand", Type=t, Content=json.dumps(content))
    c.attach_policy(PolicyId=p["Policy"]["PolicySummary"]["Id"], TargetId=workloads)
print(json.dumps({"root": root, "team": team}))
"""


def test_a_hand_built_organization_imports_and_plans_nothing(tmp_path: Path) -> None:
    try:
        started = orgstack(tmp_path, "sandbox", "start", "--with-organization")
        assert started.returncode == 0, started.stderr
        built = boto3_in_clean_env(
            exports(started.stdout), f"POLICIES = {json.dumps(POLICIES)}\n{BUILD}"
        )
        assert built.returncode == 0, built.stderr

        imported = orgstack(tmp_path, "import", "--sandbox", "--name", "acme")
        assert imported.returncode == 0, imported.stdout + imported.stderr
        spec = YAML().load(tmp_path / "orgstack.yaml")
        ous = spec["organizational_units"]
        assert list(ous) == ["Sandbox \\ labs", "Workloads"]
        assert list(ous["Workloads"]["children"]) == ["Dev/Test"]
        assert list(ous["Workloads"]["children"]["Dev/Test"]["children"]) == ["Équipe données"]
        accounts = spec["accounts"]
        assert accounts["web/api-dev"]["ou"] == "Workloads/Dev\\/Test/Équipe données"
        assert accounts["web/api-dev"]["stage"] == "dev"
        assert accounts["web/api-dev"]["team"] == "web"
        assert accounts["Prod Web"]["stage"] == "prod"
        assert accounts["lab"]["ou"] == "Sandbox \\\\ labs"
        assert spec["organization"]["root_tags"] == {"owner": "platform"}
        # No account records its purpose; Prod Web's stage is its environment tag.
        assert dict(spec["organization"]["attribute_tags"]) == {"purpose": None, "stage": None}
        policies = spec["policies"]
        assert {name: p["type"] for name, p in policies.items()} == {
            "Opt out: every AI service": "aiservices_opt_out",
            "Daily backups": "backup",
            "Chatbot Slack only": "chatbot",
            "IMDSv2 requis": "declarative",
            "Require TLS for S3": "resource_control",
            "Deny leaving – the organization": "service_control",
            "Cost center": "tag",
        }
        assert policies["Opt out: every AI service"]["file"] == (
            "policies/Opt_out_every_AI_service.json"
        )
        for name, content in POLICIES.values():
            written = tmp_path / policies[name]["file"]
            assert json.loads(written.read_text()) == content

        validated = orgstack(tmp_path, "validate")
        assert validated.returncode == 0, validated.stdout + validated.stderr
        planned = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert planned.returncode == 0, planned.stdout + planned.stderr
        assert "No changes" in planned.stdout

        # An edit of each kind of odd object plans exactly that edit.
        text = (tmp_path / "orgstack.yaml").read_text()
        text = text.replace("owner: platform", "owner: platform-team")
        (tmp_path / "orgstack.yaml").write_text(text)
        edited = orgstack(tmp_path, "plan", "--sandbox", "--format", "json")
        assert edited.returncode == 0, edited.stderr
        changes = [(c["address"], c["action"]) for c in json.loads(edited.stdout)["changes"]]
        assert changes == [("root", "tag")]
        applied = orgstack(tmp_path, "apply", "--sandbox", "--auto-approve")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        again = orgstack(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        orgstack(tmp_path, "sandbox", "stop")
