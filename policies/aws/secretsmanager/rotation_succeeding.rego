# METADATA
# title: Secrets Manager rotation succeeds on schedule
# description: >-
#   Automatic rotation of database credentials and API keys, as the reference architecture requires, only
#   protects if each scheduled rotation actually succeeds. For every secret with rotation enabled (SM-01 judges
#   the others), the last rotation (`last_rotated_date`, or `created_date` if it has never rotated) must be at
#   most `rotation_rules[0].automatically_after_days` plus the parameter `secretsmanager_rotation_grace_days`
#   (days; default 2, for the rotation window) ago, and `next_rotation_date` must not be more than that grace
#   in the past (an overdue rotation has failed or stalled). The interval may come from the secret or from its
#   Terraform aws_secretsmanager_secret_rotation. A secret not owned by another service needs a rotation
#   function (`rotation_lambda_arn`); secrets with an `owning_service` (e.g. "rds" for an RDS-managed master
#   user secret) rotate through managed rotation without one and are not failed for that. An unknown interval
#   or date fails.
# custom:
#   id: SM-03
#   severity: medium
#   resource_types: [aws_secretsmanager_secret]
#   requires: [aws_secretsmanager_secret_rotation]
#   remediation: >-
#     Find why rotation fails in the rotation function's CloudWatch Logs (`/aws/lambda/<function>`), and in
#     CloudTrail `RotationFailed` events; common causes are a function that cannot reach the database or the
#     Secrets Manager endpoint from its VPC, or missing KMS permissions. Retry with `aws secretsmanager
#     rotate-secret --secret-id <arn>`. For RDS master passwords use `manage_master_user_password = true`,
#     which RDS rotates itself. In Terraform, set `rotation_lambda_arn` on the aws_secretsmanager_secret_rotation.
#   frameworks:
#     fsbp: [SecretsManager.2]
#     nist-800-53-r5: [AC-2(1), AC-3(15)]
#     aws-config: [secretsmanager-scheduled-rotation-success-check]
#   parameters:
#     secretsmanager_rotation_grace_days: 2
package aws.secretsmanager.rotation_succeeding

import rego.v1

import data.lib.aws
import data.lib.secrets

grace := data.palisade.config.secretsmanager_rotation_grace_days

last_key(s) := "last_rotated_date" if {
	secrets.date(s, "last_rotated_date")
} else := "created_date"

# problem[secret id] contains every reason a rotating secret is not rotating on schedule.
problem[s.id] contains "its rotation interval (rotation_rules.automatically_after_days) is unknown" if {
	some s in secrets.secrets
	secrets.rotation_enabled(s)
	not secrets.rotation_days(s)
}

problem[s.id] contains "its last rotation date is unknown" if {
	some s in secrets.secrets
	secrets.rotation_enabled(s)
	not secrets.age(s, last_key(s))
}

problem[s.id] contains sprintf("it was last rotated %v days ago, beyond its %v-day schedule", [age, days]) if {
	some s in secrets.secrets
	secrets.rotation_enabled(s)
	days := secrets.rotation_days(s)
	age := secrets.age(s, last_key(s))
	age > days + grace
}

problem[s.id] contains "its next rotation date is unknown" if {
	some s in secrets.secrets
	secrets.rotation_enabled(s)
	not secrets.age(s, "next_rotation_date")
}

problem[s.id] contains sprintf("its next rotation was due %v days ago", [overdue]) if {
	some s in secrets.secrets
	secrets.rotation_enabled(s)
	overdue := secrets.age(s, "next_rotation_date")
	overdue > grace
}

problem[s.id] contains "it has no rotation function and is not rotated by an owning service" if {
	some s in secrets.secrets
	secrets.rotation_enabled(s)
	not secrets.rotation_lambda(s)
	not secrets.service_managed(s)
}

deny contains finding if {
	some s in secrets.secrets
	reasons := sort(problem[s.id])
	count(reasons) > 0
	finding := {
		"resource": s.id,
		"message": sprintf("Secret %s is not rotating on schedule: %s", [aws.label(s), concat("; ", reasons)]),
		"evidence": object.union(secrets.rotation_facts(s), {
			"owning_service": object.get(s.attributes, "owning_service", null),
			"rotation_lambda_configured": lambda_configured(s),
			"grace_days": grace,
		}),
	}
}

lambda_configured(s) := true if {
	secrets.rotation_lambda(s)
} else := false
