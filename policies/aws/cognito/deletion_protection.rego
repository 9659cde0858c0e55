# METADATA
# title: Cognito user pools have deletion protection
# description: >-
#   The user pool holds every user account of the reference architecture's application; deleting it
#   destroys the users, their MFA registrations and the app clients, and cannot be undone. Deletion
#   protection makes DeleteUserPool fail until it is switched off. Judges aws_cognito_user_pool:
#   deletion_protection must be "ACTIVE"; an unknown value fails.
# custom:
#   id: COG-04
#   severity: medium
#   resource_types: [aws_cognito_user_pool]
#   remediation: >-
#     `aws cognito-idp update-user-pool --user-pool-id <pool id> --deletion-protection ACTIVE` (pass the
#     pool's current settings too: update-user-pool resets omitted ones), or set `deletion_protection =
#     "ACTIVE"` on the `aws_cognito_user_pool` in Terraform.
#   frameworks:
#     prowler: [cognito_user_pool_deletion_protection_enabled]
#     aws-config: [cognito-user-pool-deletion-protection-enabled]
package aws.cognito.deletion_protection

import rego.v1

import data.lib.aws

deny contains finding if {
	some pool in aws.resources("aws_cognito_user_pool")
	not object.get(pool.attributes, "deletion_protection", null) == "ACTIVE"
	finding := {
		"resource": pool.id,
		"message": sprintf("Cognito user pool %s can be deleted: deletion protection is not active", [aws.label(pool)]),
		"evidence": {"deletion_protection": object.get(pool.attributes, "deletion_protection", null)},
	}
}
