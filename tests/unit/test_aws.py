"""aws/: AWS faults turned into messages that say what to do."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from orgstack.aws.errors import NotInOrganizationError, translate


def client_error(code: str, message: str = "m") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "ListAccounts")


@pytest.mark.parametrize(
    ("exc", "message", "hint"),
    [
        (
            NoCredentialsError(),
            "no AWS credentials found",
            "Use --profile, AWS_PROFILE or environment keys for the management account, or --sandbox to try orgstack locally.",
        ),
        (
            client_error("AccessDeniedException", "not allowed"),
            "access denied (list_accounts): not allowed",
            "Run orgstack with the management account's credentials; `orgstack permissions` lists the IAM actions it needs.",
        ),
        (
            client_error("ExpiredTokenException", "expired"),
            "the AWS credentials expired or are invalid (list_accounts): expired",
            "Refresh them (aws sso login, or new keys) and run the command again.",
        ),
        (
            client_error("TooManyRequestsException"),
            "AWS kept throttling the requests (list_accounts)",
            "Retry later, or lower the request rate (--rate).",
        ),
        (
            EndpointConnectionError(endpoint_url="https://organizations.us-east-1.amazonaws.com"),
            'cannot reach AWS (list_accounts): Could not connect to the endpoint URL: "https://organizations.us-east-1.amazonaws.com"',
            "Check the network or proxy and retry; `orgstack sandbox status` if you use --sandbox.",
        ),
    ],
)
def test_faults_become_messages_with_what_to_do(exc: Exception, message: str, hint: str) -> None:
    error = translate(exc, "" if isinstance(exc, NoCredentialsError) else "list_accounts")
    assert (error.message, error.hint) == (message, hint)


def test_not_in_an_organization_is_its_own_error() -> None:
    error = translate(client_error("AWSOrganizationsNotInUseException"))
    assert isinstance(error, NotInOrganizationError)
    assert error.message == "this account is not in an organization"


def test_an_unreadable_answer_is_an_error_not_a_traceback() -> None:
    from botocore.parsers import ResponseParserError

    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.aws.errors import AwsError

    class Broken:
        def get_caller_identity(self) -> None:
            raise ResponseParserError("invalid XML received")

    with pytest.raises(AwsError) as caught:
        AwsContext(AwsOptions()).call(Broken(), "get_caller_identity")
    assert caught.value.message == "AWS returned an unreadable answer (get_caller_identity)"


def test_an_account_state_is_read_from_state_and_from_the_retiring_status() -> None:
    from orgstack.kinds.organization.read_objects import account_state

    assert account_state({"State": "CLOSED", "Status": "SUSPENDED"}) == "CLOSED"
    assert account_state({"State": "PENDING_ACTIVATION"}) == "PENDING_ACTIVATION"
    assert account_state({"Status": "ACTIVE"}) == "ACTIVE"
    assert account_state({}) is None


def test_an_endpoint_that_refuses_or_never_answers_is_reported_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    from orgstack.aws.context import AwsContext, AwsOptions
    from orgstack.aws.errors import AwsError

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(AwsError) as refused:
        AwsContext(AwsOptions(region="us-east-1"))
    assert refused.value.message == (
        f"cannot reach AWS at http://127.0.0.1:{port} (set by AWS_ENDPOINT_URL): Connection refused"
    )
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never answers
    try:
        monkeypatch.setattr("orgstack.aws.context.PROBE_TIMEOUT_S", 0.2)
        with pytest.raises(AwsError) as frozen:
            AwsContext(AwsOptions(endpoint_url=f"http://127.0.0.1:{silent.getsockname()[1]}"))
        assert frozen.value.message.endswith(
            "accepted the connection but did not answer within 0.2 s"
        )
        assert "(set by the endpoint option)" in frozen.value.message
    finally:
        silent.close()


def test_a_paginator_is_made_once_and_goes_with_its_client() -> None:
    """Member-account clients leave a bounded cache; what the context remembers of a client
    (its paginators) must not keep it alive: 5,000 accounts once held 2.6 GB this way."""
    import gc
    import weakref

    import boto3

    from orgstack.aws.context import AwsContext, AwsOptions

    context = AwsContext(AwsOptions())
    client = boto3.client(
        "organizations", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    first = context.paginator(client, "list_accounts")
    assert context.paginator(client, "list_accounts") is first
    assert context.paginator(client, "list_roots") is not first
    gone = weakref.ref(client)
    del client, first
    gc.collect()
    assert gone() is None
