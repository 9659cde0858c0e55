# METADATA
# title: Secrets Manager secrets have been rotated recently
# description: >-
#   The reference architecture relies on automatic rotation of database credentials and API keys; rotation that
#   is configured but never happens gives no protection. A secret passes when the days since its
#   `last_rotated_date` — or, if it has never been rotated, since its `created_date` — are at most the parameter
#   `secretsmanager_max_days_unrotated` (days; default 90, as FSBP SecretsManager.4). Ages are measured from the
#   inventory's collection time. A secret with neither date (or an unparseable one) is unknown and fails.
# custom:
#   id: SM-02
#   severity: medium
#   resource_types: [aws_secretsmanager_secret]
#   remediation: >-
#     Rotate the secret now and keep automatic rotation on with an interval shorter than the limit:
#     `aws secretsmanager rotate-secret --secret-id <arn>` (add `--rotation-lambda-arn <function-arn>
#     --rotation-rules AutomaticallyAfterDays=30` if rotation is not configured). In Terraform, add an
#     `aws_secretsmanager_secret_rotation` with `rotation_rules { automatically_after_days = 30 }`. If rotation
#     fails, check the rotation function's CloudWatch logs.
#   frameworks:
#     fsbp: [SecretsManager.4]
#     nist-800-53-r5: [AC-2(1), AC-3(15)]
#     prowler: [secretsmanager_secret_rotated_periodically]
#     aws-config: [secretsmanager-secret-periodic-rotation]
#   parameters:
#     secretsmanager_max_days_unrotated: 90
package aws.secretsmanager.rotated_periodically

import rego.v1

import data.lib.aws
import data.lib.secrets

max_days := data.palisade.config.secretsmanager_max_days_unrotated

# reference_key(s) is the date that starts the clock: the last rotation, else the creation.
reference_key(s) := "last_rotated_date" if {
	secrets.date(s, "last_rotated_date")
} else := "created_date"

days_unrotated(s) := secrets.age(s, reference_key(s))

recent(s) if days_unrotated(s) <= max_days

deny contains finding if {
	some s in secrets.secrets
	not recent(s)
	finding := {
		"resource": s.id,
		"message": message(s),
		"evidence": {
			"last_rotated_date": object.get(s.attributes, "last_rotated_date", null),
			"created_date": object.get(s.attributes, "created_date", null),
			"days_unrotated": days_or_null(s),
			"max_days_unrotated": max_days,
		},
	}
}

days_or_null(s) := d if {
	d := days_unrotated(s)
} else := null

message(s) := sprintf("Secret %s has not been rotated for %v days (limit %v)", [aws.label(s), days_unrotated(s), max_days]) if {
	days_unrotated(s)
} else := sprintf("Secret %s has no known last rotation or creation date, so its rotation age is unknown", [aws.label(s)])
