"""The CLI: exit codes, messages, no tracebacks, init with flags and with questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgstack.cli import cli
from tests.conftest import WriteFiles, run_cli


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    assert "init" in out and "sandbox" in out and "Exit codes: 0 ok" in out


def test_init_blueprint_writes_spec_policies_and_local_schema(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "init", "--blueprint", "minimal", "--domain", "acme.example")
    assert code == 0
    assert (
        "Wrote orgstack.yaml (9 accounts in 6 OUs; you can grow into the standard blueprint later)."
        in out
    )
    assert "guardrails: [deny-leave-organization]" in (in_tmp / "orgstack.yaml").read_text()
    assert (in_tmp / ".orgstack" / "orgstack.schema.json").is_file()
    first = (in_tmp / "orgstack.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=.orgstack/orgstack.schema.json"
    assert "aws+app-prod@acme.example" in out


def test_init_refuses_to_overwrite_without_force(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "orgstack.yaml").write_text("mine\n")
    code, _, err = run_cli(capsys, "init", "--blueprint", "minimal")
    assert code == 1
    assert err == (
        "Error: orgstack.yaml already exist(s) with other content\n"
        "Hint: Choose another -o path, or pass --force to overwrite.\n"
    )
    assert (in_tmp / "orgstack.yaml").read_text() == "mine\n"
    assert run_cli(capsys, "init", "--blueprint", "minimal", "--force")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--domain", "not a domain"], "Error: --domain: 'not a domain' is not a domain name\n"),
        (
            ["--stages", "dev,Prod"],
            "Error: --stages: 'Prod' is not a comma-separated list of lower-case words\n",
        ),
        (["--stages", "dev,dev"], "Error: --stages: a word is listed twice in 'dev,dev'\n"),
        (
            ["--business-units", "retail=web"],
            "Error: --business-units needs the enterprise blueprint (or --size large)\n",
        ),
        (
            ["--regions", "mars"],
            "Error: --regions: 'mars' is not a Region name\n",
        ),
        (
            ["--access-role", "my role"],
            "Error: --access-role: 'my role' is not an IAM role name\n",
        ),
    ],
)
def test_init_rejects_bad_flags_precisely(
    args: list[str], message: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "init", "--blueprint", "minimal", *args)
    assert code == 1
    assert err.splitlines()[0] + "\n" == message
    assert not (in_tmp / "orgstack.yaml").exists()


@pytest.mark.usefixtures("in_tmp")
def test_init_with_flags_for_a_large_company(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(
        capsys,
        "init",
        "--size",
        "large",
        "--no-interactive",
        "--business-units",
        "cards=issuing;loans=mortgage,retail",
        "--stages",
        "dev,prod",
        "--no-network",
        "--home-region",
        "eu-central-1",
        "--regions",
        "eu-west-1",
    )
    assert code == 0
    code, out, _ = run_cli(capsys, "show", "--format", "json")
    data = json.loads(out)
    names = [a["name"] for a in data["accounts"]]
    assert "network" not in names
    assert [n for n in names if n.startswith(("issuing", "mortgage", "retail"))] == [
        "issuing-dev",
        "issuing-prod",
        "mortgage-dev",
        "mortgage-prod",
        "retail-dev",
        "retail-prod",
        "issuing-sandbox",
        "mortgage-sandbox",
        "retail-sandbox",
    ]
    assert data["organization"]["allowed_regions"] == ["eu-central-1", "eu-west-1"]


@pytest.mark.usefixtures("in_tmp")
def test_init_asks_questions_interactively() -> None:
    answers = "\n".join(
        [
            "medium",
            "acme",
            "acme.example",
            "eu-west-1",
            "-",
            "web,api",
            "dev,prod",
            "n",
            "y",
            "n",
            "y",
            "identity-center",
        ]
    )
    result = CliRunner().invoke(cli, ["init", "--interactive"], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "Company size" in result.output and "Teams, one workload each" in result.output
    assert "How do people sign in" in result.output
    text = Path("orgstack.yaml").read_text()
    assert "# orgstack spec (standard blueprint): 10 accounts in 8 OUs" in text
    assert "  web-prod:\n" in text and "  api-dev:\n" in text and "  build:\n" not in text
    assert "  network:\n" in text and "  backup:\n" not in text
    assert "access:\n  mode: identity-center\n" in text


def test_show_reports_spec_problems_without_traceback(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        **{"orgstack.yaml": "organization:\n  name: a\n  home_region: eu-west-1\n  colour: red\n"}
    )
    code, out, err = run_cli(capsys, "show")
    assert code == 1
    assert out == ""
    assert err.splitlines()[:2] == [
        "Error: 1 problem in the spec:",
        "orgstack.yaml:4:3: organization: unknown key 'colour'; allowed: name, home_region, "
        "allowed_regions, email_pattern, feature_set, access_role, account_quota, full_aws_access, attribute_tags, root_tags",
    ]
    assert "Traceback" not in err


def test_missing_spec_says_what_to_do(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "show")
    assert code == 1
    assert (
        err
        == f"Error: no orgstack.yaml or orgstack/ in {in_tmp}\nHint: Run `orgstack init` to write one, or pass -f PATH.\n"
    )
    code, _, err = run_cli(capsys, "show", "-f", "nope.yaml")
    assert err == "Error: no spec at nope.yaml\nHint: Pass -f with an existing file or directory.\n"


def test_debug_shows_the_traceback(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(**{"orgstack.yaml": "organization: [\n"})
    code, _, err = run_cli(capsys, "--debug", "show")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "orgstack.yaml:2:1: YAML syntax error" in err


def test_usage_errors_exit_one_not_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "show", "--format", "xml")
    assert code == 1
    assert "Invalid value for '--format'" in err


def test_schema_command_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "schema")
    assert code == 0
    committed = Path(__file__).resolve().parents[2] / "schema" / "orgstack.schema.json"
    assert out == committed.read_text()


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("0", "Error: Invalid value for '--rate': 0.0 is not in the range x>0."),
        ("-1", "Error: Invalid value for '--rate': -1.0 is not in the range x>0."),
        (
            "nan",
            "Error: Invalid value for '--rate': nan is not a number of requests per second; e.g. 20",
        ),
        (
            "inf",
            "Error: Invalid value for '--rate': inf is not a number of requests per second; e.g. 20",
        ),
    ],
)
def test_a_rate_that_is_not_a_positive_number_is_refused(
    rate: str, message: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "plan", f"--rate={rate}")
    assert code == 1
    assert err.splitlines()[-1] == message


def test_an_unknown_profile_lists_the_profiles_there_are(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = in_tmp / "config"
    config.write_text("[profile dev]\nregion = us-east-1\n[default]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    run_cli(capsys, "init", "--blueprint", "minimal")
    code, _, err = run_cli(capsys, "plan", "--profile", "prodd")
    assert code == 1
    assert err.splitlines() == [
        "Error: no AWS profile named 'prodd'",
        "Hint: Profiles in your AWS config: default, dev.",
    ]


def test_the_sandbox_record_is_found_from_a_folder_below_where_it_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgstack.sandbox.state import state_dir

    monkeypatch.delenv("ORGSTACK_STATE_DIR", raising=False)
    (tmp_path / ".orgstack").mkdir()
    (tmp_path / ".orgstack" / "sandbox.json").write_text("{}")
    below = tmp_path / "specs" / "team-a"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    assert state_dir() == tmp_path.resolve() / ".orgstack"
    monkeypatch.setenv("ORGSTACK_STATE_DIR", str(below / "own"))
    assert state_dir() == (below / "own").resolve()


def test_the_tree_ends_a_line_too_long_for_the_terminal_with_an_ellipsis() -> None:
    from io import StringIO

    from rich.console import Console

    from orgstack.model import Account, Organization, OrgModel
    from orgstack.report.tree import org_tree

    email = "aws+shop-prod-eu-central-very-long@acme-corporation.example"
    model = OrgModel(
        Organization("acme", "us-east-1", ("us-east-1",), None),
        (),
        (Account("shop-prod-eu", "workload", "root", email, stage="prod"),),
        (),
    )
    out = StringIO()
    Console(file=out, width=60).print(org_tree(model))
    line = out.getvalue().splitlines()[-1]
    assert line.endswith("…") and len(line) <= 60
    assert "@" not in line.split("…")[0][-5:]  # cut, and marked as cut


def test_init_asks_again_after_a_wrong_answer(in_tmp: Path) -> None:
    answers = ["small", "acme", "not a domain", "acme.example", "mars", "eu-west-1", "-",
               "Web", "web", "dev,prod", "n", "n", "n", "n", "iam"]  # fmt: skip
    result = CliRunner().invoke(cli, ["init", "--interactive"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "--domain: 'not a domain' is not a domain name. For example: --domain example.com" in (
        result.output
    )
    assert "--home-region: 'mars' is not a Region name" in result.output
    assert "--teams: 'Web' is not a comma-separated list of lower-case words" in result.output
    assert "aws+{account}@acme.example" in (in_tmp / "orgstack.yaml").read_text()


def test_init_takes_a_dash_for_no_workloads_and_skips_the_stages(in_tmp: Path) -> None:
    answers = ["medium", "acme", "acme.example", "eu-west-1", "-", "-", "n", "n", "n", "n", "iam"]
    result = CliRunner().invoke(cli, ["init", "--interactive"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Teams, one workload each (comma-separated, or - for none yet)" in result.output
    assert "Stages per workload" not in result.output
    assert "Note: no workloads yet; add a team's stage accounts under Workloads" in result.output
    assert "Wrote orgstack.yaml (4 accounts in 7 OUs;" in result.output
    assert "purpose: workload" not in (in_tmp / "orgstack.yaml").read_text()


@pytest.mark.parametrize(
    ("flags", "accounts", "info"),
    [
        (["--size", "small", "--teams", "none"], 6, 0),
        # the network's pools report their room (LZ022, information only)
        (["--size", "large", "--business-units", "-"], 7, 3),
    ],
)
def test_init_without_workloads_writes_a_clean_spec(
    in_tmp: Path, flags: list[str], accounts: int, info: int
) -> None:
    result = CliRunner().invoke(cli, ["init", "--no-interactive", *flags])
    assert result.exit_code == 0, result.output
    assert f"Wrote orgstack.yaml ({accounts} accounts in" in result.output
    checked = CliRunner().invoke(cli, ["validate"])
    assert checked.exit_code == 0, checked.output
    assert f"0 errors, 0 warnings, {info} info" in checked.output
    assert checked.output.count("LZ022 network-pool-room") == info


def test_ctrl_c_in_any_command_exits_130(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # click turns KeyboardInterrupt into Abort; orgstack still says what happened, exit 130
    from orgstack import api

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "validate", interrupted)
    code, _, err = run_cli(capsys, "validate")
    assert (code, err.splitlines()[-1]) == (130, "Interrupted.")
