"""The log archive (``logging:``): in the log-archive account, a KMS key and a log bucket that
a compromised or careless workload account cannot erase — versioning, S3 Object Lock in
compliance mode, encryption with the key, public access blocked, TLS only, writes only from
the organization trail (``aws:SourceArn``, ``aws:SourceOrgID``), deletes and policy changes
denied to all but the break-glass role (and orgstack's access role for configuration),
lifecycle to cheaper storage and expiry of old versions — a bucket of its own for AWS Config
(which cannot deliver into a bucket with Object Lock), guarded the same way, and a bucket for
both buckets' access logs.

Addresses: ``log-archive:<account>/key``, ``log-archive:<account>/access-logs``,
``log-archive:<account>/bucket``, ``log-archive:<account>/config-bucket``. Nothing of the
archive is ever deleted by orgstack: a part the spec no longer declares is reported.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    prefix="log-archive",
    summary="the log archive: KMS key, locked log bucket, Config bucket, access logs (logging)",
    types=("key", "access-logs", "bucket", "config-bucket"),
    type_index=1,
    after=("trusted-access",),
    phase=30,
    group_title="Log archive, by account:",
    full_updates=True,
)
