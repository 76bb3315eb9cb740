"""The isolation check's reads on moto: a prod account's role trusting a dev account, and a prod
bucket, key, queue, topic, secret, function and repository whose policies admit the dev account
are each read and turned into exactly one path from dev into prod; the prod account's own
policies (its default key policy, a role trusting itself) open none."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from orgstack.aws.context import AwsContext
from orgstack.aws.members import AccountClients
from orgstack.aws.reading import ReadContext
from orgstack.live.policies import read_policies
from orgstack.model.isolation import Accounts, policy_paths
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member

REGION = "eu-west-1"
SPEC = """\
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, ou: root, stage: dev}
  web-prod: {purpose: workload, ou: root, stage: prod}
"""


def _admit(principal: str, action: str, resource: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Leak", "Effect": "Allow", "Principal": {"AWS": principal},
                 "Action": action, "Resource": resource}
            ],
        }
    )  # fmt: skip


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def _plant(prod: str, dev: str) -> dict[str, str]:
    """One leak from dev into prod of each kind; the resource ARN of each."""
    dev_root = f"arn:aws:iam::{dev}:root"
    iam = member(prod, "iam", REGION)
    role = iam.create_role(
        RoleName="App", AssumeRolePolicyDocument=_admit(dev_root, "sts:AssumeRole", "*")
    )
    iam.create_role(
        RoleName="Own",
        AssumeRolePolicyDocument=_admit(f"arn:aws:iam::{prod}:root", "sts:AssumeRole", "*"),
    )
    s3 = member(prod, "s3", REGION)
    s3.create_bucket(Bucket="prod-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_policy(
        Bucket="prod-data", Policy=_admit(dev_root, "s3:GetObject", "arn:aws:s3:::prod-data/*")
    )
    kms = member(prod, "kms", REGION)
    key = kms.create_key(Policy=_admit(dev_root, "kms:Decrypt", "*"))["KeyMetadata"]
    kms.create_key()  # the default policy: its own account only
    sqs = member(prod, "sqs", REGION)
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"Policy": _admit(dev_root, "sqs:SendMessage", queue)}
    )
    sns = member(prod, "sns", REGION)
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sns.set_topic_attributes(
        TopicArn=topic,
        AttributeName="Policy",
        AttributeValue=_admit(dev_root, "sns:Publish", topic),
    )
    secrets = member(prod, "secretsmanager", REGION)
    secret = secrets.create_secret(Name="db", SecretString="x")["ARN"]
    secrets.put_resource_policy(
        SecretId=secret, ResourcePolicy=_admit(dev_root, "secretsmanager:GetSecretValue", "*")
    )
    functions = member(prod, "lambda", REGION)
    function = functions.create_function(
        FunctionName="api",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="index.handler",
        Code={"ZipFile": _zip()},
    )["FunctionArn"]
    functions.add_permission(
        FunctionName="api", StatementId="Leak", Action="lambda:InvokeFunction", Principal=dev
    )
    ecr = member(prod, "ecr", REGION)
    repository = ecr.create_repository(repositoryName="app")["repository"]["repositoryArn"]
    ecr.set_repository_policy(
        repositoryName="app",
        policyText=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Leak",
                        "Effect": "Allow",
                        "Principal": {"AWS": dev_root},
                        "Action": "ecr:BatchGetImage",
                    }
                ],
            }
        ),
    )
    return {
        "role": role["Role"]["Arn"], "bucket": "arn:aws:s3:::prod-data", "key": key["Arn"],
        "queue": queue, "topic": topic, "secret": secret, "function": function,
        "repository": repository,
    }  # fmt: skip


def peer(dev: str, prod: str, prod_vpc: str | None = None) -> str:
    """dev's 10.1.0.0/16 peered with prod's 10.2.0.0/16 (made when not given), accepted by
    prod, routed from dev only; the peering's id."""
    dev_ec2, prod_ec2 = member(dev, "ec2", REGION), member(prod, "ec2", REGION)
    prod_vpc = prod_vpc or prod_ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    dev_vpc = dev_ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    made = dev_ec2.create_vpc_peering_connection(
        VpcId=dev_vpc, PeerVpcId=prod_vpc, PeerOwnerId=prod
    )
    pcx = str(made["VpcPeeringConnection"]["VpcPeeringConnectionId"])
    prod_ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    table = dev_ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [dev_vpc]}])
    dev_ec2.create_route(RouteTableId=table["RouteTables"][0]["RouteTableId"],
                         DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=pcx)  # fmt: skip
    return pcx


def test_each_kind_of_policy_that_admits_dev_into_prod_is_one_path(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    planted = _plant(ids["web-prod"], ids["web-dev"])
    context = AwsContext(FAST)
    ctx = ReadContext(context, AccountClients(context, context.caller_account(),
                                              "OrganizationAccountAccessRole"))  # fmt: skip
    accounts = {"management": context.caller_account()} | {
        n: ids[n] for n in ("web-dev", "web-prod")
    }
    policies = read_policies(ctx, accounts, [REGION])
    org = Accounts(
        ids=accounts,
        domains={"management": "management", "web-dev": "dev", "web-prod": "prod"},
        stages=frozenset({"dev", "prod"}),
    )
    paths = [
        path
        for policy in policies
        for path in policy_paths(
            policy.kind, policy.account, policy.resource, policy.document, org, policy.fix
        )
    ]
    found = paths  # the management account's access role into both: a platform's, not judged
    assert {p.resource: (p.kind, p.source, p.target, p.opening) for p in found} == {
        planted["role"]: ("iam-trust", "web-dev", "web-prod", "statement Leak"),
        **{
            planted[name]: ("resource-policy", "web-dev", "web-prod", "statement Leak")
            for name in ("bucket", "key", "queue", "topic", "secret", "function", "repository")
        },
    }
    assert len(found) == 8


def test_a_ram_share_and_a_routed_peering_between_dev_and_prod_are_paths(
    aws: None, workdir: Path
) -> None:
    """prod shares a subnet with dev by RAM (dev → prod), and dev and prod peer their VPCs with a
    route on dev's side only (dev → prod; nothing flows prod → dev without a route)."""
    import boto3

    from orgstack.live.crossings import read_crossings
    from orgstack.model.isolation import peering_paths, share_paths

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    dev, prod = ids["web-dev"], ids["web-prod"]
    boto3.client("ram", region_name=REGION).enable_sharing_with_aws_organization()
    prod_ec2 = member(prod, "ec2", REGION)
    prod_vpc = prod_ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet = prod_ec2.create_subnet(VpcId=prod_vpc, CidrBlock="10.2.0.0/24")["Subnet"]
    share = member(prod, "ram", REGION).create_resource_share(
        name="db-subnet", resourceArns=[subnet["SubnetArn"]], principals=[dev]
    )["resourceShare"]
    pcx_id = peer(dev, prod, prod_vpc)
    context = AwsContext(FAST)
    ctx = ReadContext(context, AccountClients(context, context.caller_account(),
                                              "OrganizationAccountAccessRole"))  # fmt: skip
    accounts = {"web-dev": dev, "web-prod": prod}
    org = Accounts(ids=accounts, domains={"web-dev": "dev", "web-prod": "prod"},
                   stages=frozenset({"dev", "prod"}))  # fmt: skip
    shares, peerings = read_crossings(ctx, accounts, [REGION])
    assert [(s.owner, s.name, s.resources, s.principals) for s in shares] == [
        ("web-prod", "db-subnet", (subnet["SubnetArn"],), (dev,))
    ]
    found = [p for s in shares for p in share_paths(s.owner, s.name, s.resources,
                                                     s.principals, org, {})]  # fmt: skip
    found += [p for w in peerings for p in peering_paths(w.account, w.peerings, w.routed, org)]
    assert [(p.kind, p.source, p.target, p.resource, p.opening) for p in found] == [
        ("ram-share", "web-dev", "web-prod", subnet["SubnetArn"], "resource share db-subnet"),
        ("network", "web-dev", "web-prod",
         f"arn:aws:ec2:{REGION}:{dev}:vpc-peering-connection/{pcx_id}",
         "VPC peering 10.1.0.0/16 ↔ 10.2.0.0/16, routed from web-dev"),
    ]  # fmt: skip
    assert share["status"] in ("PENDING", "ACTIVE")
