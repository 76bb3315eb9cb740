"""The AWS documents that rules cite as ``doc_url``."""

ORGS = "https://docs.aws.amazon.com/organizations/latest/userguide"
WHITEPAPER = "https://docs.aws.amazon.com/whitepapers/latest/organizing-your-aws-environment"

LIMITS = f"{ORGS}/orgs_reference_limits.html"
SCP_SYNTAX = f"{ORGS}/orgs_manage_policies_scps_syntax.html"
SCPS = f"{ORGS}/orgs_manage_policies_scps.html"
SCP_EXAMPLES = f"{ORGS}/orgs_manage_policies_scps_examples_general.html"
TAG_POLICY_SYNTAX = f"{ORGS}/orgs_manage_policies_example-tag-policies.html"
TAGGING = f"{ORGS}/orgs_tagging.html"
CREATE_ACCOUNT = (
    "https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html"
)
MGMT_BEST_PRACTICES = f"{ORGS}/orgs_best-practices_mgmt-acct.html"
MEMBER_BEST_PRACTICES = f"{ORGS}/best-practices_member-acct.html"
ACCESS_ROLE = f"{ORGS}/orgs_manage_accounts_access.html"
RECOMMENDED_OUS = f"{WHITEPAPER}/recommended-ous-and-accounts.html"
SECURITY_OU = f"{WHITEPAPER}/security-ou-and-accounts.html"
INFRASTRUCTURE_OU = f"{WHITEPAPER}/infrastructure-ou-and-accounts.html"
SANDBOX_OU = f"{WHITEPAPER}/sandbox-ou.html"
DEPLOYMENTS_OU = f"{WHITEPAPER}/deployments-ou.html"
PROD_NONPROD = f"{WHITEPAPER}/production-and-non-production-workload-environments.html"
OU_BENEFITS = f"{WHITEPAPER}/benefits-of-using-ous.html"
SEPARATE_WORKLOADS = (
    "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/"
    "sec_securely_operate_multi_accounts.html"
)
IAM_GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide"
IAM_BEST_PRACTICES = f"{IAM_GUIDE}/best-practices.html"
IAM_QUOTAS = f"{IAM_GUIDE}/reference_iam-quotas.html"
REQUIRE_MFA = f"{IAM_GUIDE}/id_credentials_mfa_configure-api-require.html"
CROSS_ACCOUNT_ROLES = f"{IAM_GUIDE}/tutorial_cross-account-with-roles.html"
RESOURCE_ORG_ID = f"{IAM_GUIDE}/reference_policies_condition-keys.html#condition-keys-resourceorgid"
MANAGEMENT_POLICY_SYNTAX = f"{ORGS}/policy-operators.html"
RCP_SYNTAX = f"{ORGS}/orgs_manage_policies_rcps_syntax.html"
SRA = "https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture"
LOG_ARCHIVE = f"{SRA}/log-archive.html"
ORGANIZATION_TRAIL = (
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html"
)
OBJECT_LOCK = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html"
SECURITY_TOOLING = f"{SRA}/security-tooling.html"
BACKUP_ACCOUNT = (
    "https://docs.aws.amazon.com/prescriptive-guidance/latest/backup-recovery/"
    "cross-account-backup.html"
)
VAULT_LOCK = "https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html"
BACKUP_GUIDE = "https://docs.aws.amazon.com/aws-backup/latest/devguide"
BACKUP_COPY_ENCRYPTION = f"{BACKUP_GUIDE}/encryption.html#copy-encryption"
BACKUP_POLICIES = f"{ORGS}/orgs_manage_policies_backup.html"
