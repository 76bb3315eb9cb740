"""LZ004 policy-too-large."""

from pathlib import Path

from tests.unit.rules.helpers import run, scp, spec


def sized(total: int) -> str:
    """An SCP whose minified JSON is exactly ``total`` characters long."""
    skeleton = "{'Version':'2012-10-17','Statement':[{'Effect':'Deny','Action':'s3:X','Resource':'*','Sid':''}]}"
    sid = "S" * (total - len(skeleton))
    return scp("big", f"[{{Effect: Deny, Action: 's3:X', Resource: '*', Sid: {sid}}}]")


def test_5120_characters_pass(tmp_path: Path) -> None:
    assert run("LZ004", spec("policies:\n" + sized(5120)), tmp_path) == []


def test_5121_characters_fail(tmp_path: Path) -> None:
    assert run("LZ004", spec("policies:\n" + sized(5121)), tmp_path) == [
        (
            "scp:big",
            "policy big is 5,121 characters minified; AWS allows 5,120 for a SERVICE_CONTROL_POLICY",
        )
    ]


def test_whitespace_does_not_count(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"Version": "2012-10-17",' + " " * 6000 + '"Statement": []}')
    text = spec("policies:\n  spaced: {type: service_control, file: p.json, targets: [root]}\n")
    assert run("LZ004", text, tmp_path) == []
