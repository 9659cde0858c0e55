# METADATA
# title: Secrets Manager secrets are in use
# description: >-
#   The reference architecture stores only the credentials its services use (database credentials, API keys).
#   A secret nobody reads is an orphaned credential that still grants access and still costs money; it should
#   be deleted, together with the access it grants. A secret fails when its `last_accessed_date` is more than the
#   parameter `secretsmanager_max_days_unused` (days; default 90, as FSBP SecretsManager.3) before the
#   inventory's collection time, or when it has never been accessed and was created more than that many days
#   ago. A secret with neither date is unknown and fails.
# custom:
#   id: SM-04
#   severity: low
#   resource_types: [aws_secretsmanager_secret]
#   remediation: >-
#     Confirm in CloudTrail (`GetSecretValue` events) that nothing uses the secret, revoke the credential it
#     holds at its source, then delete it: `aws secretsmanager delete-secret --secret-id <arn>
#     --recovery-window-in-days 30`. In Terraform, remove the `aws_secretsmanager_secret` (with
#     `recovery_window_in_days` set). If the secret is used rarely by design, raise
#     `secretsmanager_max_days_unused` in palisade.toml.
#   frameworks:
#     fsbp: [SecretsManager.3]
#     nist-800-53-r5: [AC-2(1), AC-3(15)]
#     prowler: [secretsmanager_secret_unused]
#   parameters:
#     secretsmanager_max_days_unused: 90
package aws.secretsmanager.unused_secrets

import rego.v1

import data.lib.aws
import data.lib.secrets

max_days := data.palisade.config.secretsmanager_max_days_unused

in_use(s) if secrets.age(s, "last_accessed_date") <= max_days

in_use(s) if {
	not secrets.date(s, "last_accessed_date")
	secrets.age(s, "created_date") <= max_days
}

deny contains finding if {
	some s in secrets.secrets
	not in_use(s)
	finding := {
		"resource": s.id,
		"message": message(s),
		"evidence": {
			"last_accessed_date": object.get(s.attributes, "last_accessed_date", null),
			"created_date": object.get(s.attributes, "created_date", null),
			"max_days_unused": max_days,
		},
	}
}

message(s) := sprintf("Secret %s has not been accessed for %v days (limit %v)", [aws.label(s), secrets.age(s, "last_accessed_date"), max_days]) if {
	secrets.age(s, "last_accessed_date")
} else := sprintf("Secret %s has never been accessed since its creation %v days ago (limit %v)", [aws.label(s), secrets.age(s, "created_date"), max_days]) if {
	not secrets.date(s, "last_accessed_date")
	secrets.age(s, "created_date")
} else := sprintf("Secret %s has no known last access or creation date, so whether it is used is unknown", [aws.label(s)])
