# METADATA
# title: The root user has MFA and no access keys
# description: >-
#   The root user of the account that runs the reference architecture can change or delete everything in
#   it, including the WAF, Shield, Secrets Manager and the database. It must be protected by multi-factor
#   authentication (GetAccountSummary AccountMFAEnabled = 1) and must have no access keys
#   (AccountAccessKeysPresent = 0): a leaked root key cannot be restricted by any policy. Unknown values
#   fail.
# custom:
#   id: IAM-01
#   severity: critical
#   resource_types: [aws_iam_account_summary]
#   remediation: >-
#     Sign in as the root user, open IAM > Security credentials, assign an MFA device (a hardware key or
#     passkey preferably) and delete every root access key (`aws iam delete-access-key` run with the root
#     credentials, or the console). Use IAM roles or IAM Identity Center for daily work.
#   frameworks:
#     fsbp: [IAM.9, IAM.4]
#     nist-800-53-r5: [AC-2(1), AC-3(7), AC-3(15), AC-6, AC-6(2), AC-6(10), IA-2(1), IA-2(2), IA-2(6), IA-2(8)]
#     cis-aws-v5: ["1.4", "1.3"]
#     prowler: [iam_root_mfa_enabled, iam_no_root_access_key]
package aws.iam.root_account

import rego.v1

import data.lib.aws

problems(s) := array.concat(
	["the root user has no MFA device" | not object.get(s.attributes, "account_mfa_enabled", null) == 1],
	["the root user has access keys" | not object.get(s.attributes, "account_access_keys_present", null) == 0],
)

deny contains finding if {
	some s in aws.resources("aws_iam_account_summary")
	ps := problems(s)
	count(ps) > 0
	finding := {
		"resource": s.id,
		"message": sprintf("Account %s root user is not protected: %s", [s.account, concat("; ", ps)]),
		"evidence": {
			"account_mfa_enabled": object.get(s.attributes, "account_mfa_enabled", null),
			"account_access_keys_present": object.get(s.attributes, "account_access_keys_present", null),
		},
	}
}
