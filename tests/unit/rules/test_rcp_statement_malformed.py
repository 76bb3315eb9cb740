"""LZ021 rcp-statement-malformed (the published and broken corpora are in
test_published_policies.py)."""

from pathlib import Path

from tests.unit.rules.helpers import run, spec


def rcp(statements: str, version: str = "'2012-10-17'") -> str:
    return spec(
        "policies:\n  tls:\n    type: resource_control\n"
        f"    content: {{Version: {version}, Statement: {statements}}}\n    targets: [root]\n"
    )


def test_a_deny_for_every_principal_passes(tmp_path: Path) -> None:
    text = rcp("[{Effect: Deny, Principal: '*', Action: 's3:*', Resource: '*'}]")
    assert run("LZ021", text, tmp_path) == []


def test_every_rcp_restriction_is_reported(tmp_path: Path) -> None:
    text = rcp(
        "[{Sid: Open, Effect: Allow, NotPrincipal: {AWS: x}, NotAction: 's3:Get*', "
        "Resource: 'bucket'}]",
        version="'2008-10-17'",
    )
    prefix = "RCP tls, statement Open: "
    assert run("LZ021", text, tmp_path) == [
        ("rcp:tls", 'RCP tls: Version must be "2012-10-17"'),
        ("rcp:tls", prefix + "Effect is 'Allow'; an RCP you write can only \"Deny\""),
        ("rcp:tls", prefix + 'Principal is None; an RCP needs "Principal": "*"'),
        ("rcp:tls", prefix + "needs Action (RCPs do not support NotAction)"),
        ("rcp:tls", prefix + "Resource 'bucket' is not \"*\" or an ARN "
         "(arn:partition:service:region:account:resource)"),
        ("rcp:tls", prefix + "has unknown key 'NotAction' (not supported in RCPs)"),
        ("rcp:tls", prefix + "has unknown key 'NotPrincipal' (not supported in RCPs)"),
    ]  # fmt: skip
