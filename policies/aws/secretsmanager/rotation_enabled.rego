# METADATA
# title: Secrets Manager secrets have automatic rotation enabled
# description: >-
#   The reference architecture keeps database credentials and API keys in AWS Secrets Manager with automatic
#   rotation, so that a leaked credential stops working on its own. A secret passes when rotation is on: the
#   secret's `rotation_enabled` is true (live inventories), or a Terraform aws_secretsmanager_secret_rotation
#   resource targets it (its `secret_id` is the secret's ARN or name). Secrets owned by RDS
#   (`owning_service` "rds") rotate through managed rotation and pass when it is on. An absent
#   `rotation_enabled` with no rotation resource is unknown and fails.
# custom:
#   id: SM-01
#   severity: high
#   resource_types: [aws_secretsmanager_secret]
#   requires: [aws_secretsmanager_secret_rotation]
#   remediation: >-
#     Turn on rotation with a rotation function (for RDS credentials, prefer `manage_master_user_password = true`
#     on the instance, which RDS rotates itself): `aws secretsmanager rotate-secret --secret-id <arn>
#     --rotation-lambda-arn <function-arn> --rotation-rules AutomaticallyAfterDays=30`. In Terraform, add an
#     `aws_secretsmanager_secret_rotation` with `secret_id`, `rotation_lambda_arn` and
#     `rotation_rules { automatically_after_days = 30 }`.
#   frameworks:
#     fsbp: [SecretsManager.1]
#     nist-800-53-r5: [AC-2(1), AC-3(15)]
#     prowler: [secretsmanager_automatic_rotation_enabled]
#     aws-config: [secretsmanager-rotation-enabled-check]
package aws.secretsmanager.rotation_enabled

import rego.v1

import data.lib.aws
import data.lib.secrets

deny contains finding if {
	some s in secrets.secrets
	not secrets.rotation_enabled(s)
	finding := {
		"resource": s.id,
		"message": sprintf("Secret %s does not have automatic rotation enabled", [aws.label(s)]),
		"evidence": {
			"rotation_enabled": object.get(s.attributes, "rotation_enabled", null),
			"rotation_resources": [r.id | some r in secrets.rotations(s)],
		},
	}
}
