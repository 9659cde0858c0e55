# METADATA
# title: Cognito app clients hide user existence and allow token revocation
# description: >-
#   The reference architecture's front end signs users in through a Cognito app client. With
#   PreventUserExistenceErrors LEGACY, sign-in, password-reset and confirmation errors say whether a user
#   name exists, which lets an attacker enumerate accounts before guessing passwords; without token
#   revocation a refresh token stolen from a browser stays usable for its whole lifetime even after the user
#   signs out or an administrator revokes it. Judges aws_cognito_user_pool_client:
#   prevent_user_existence_errors must be "ENABLED" and enable_token_revocation true; unknown values fail.
# custom:
#   id: COG-05
#   severity: low
#   resource_types: [aws_cognito_user_pool_client]
#   remediation: >-
#     `aws cognito-idp update-user-pool-client --user-pool-id <pool id> --client-id <client id>
#     --prevent-user-existence-errors ENABLED --enable-token-revocation` (pass the client's current settings
#     too: omitted ones are reset), or set `prevent_user_existence_errors = "ENABLED"` and
#     `enable_token_revocation = true` on the `aws_cognito_user_pool_client` in Terraform.
#   frameworks:
#     prowler: [cognito_user_pool_client_prevent_user_existence_errors, cognito_user_pool_client_token_revocation_enabled]
package aws.cognito.client_hardening

import rego.v1

import data.lib.aws

deny contains finding if {
	some c in aws.resources("aws_cognito_user_pool_client")
	not object.get(c.attributes, "prevent_user_existence_errors", null) == "ENABLED"
	finding := {
		"resource": c.id,
		"message": sprintf("Cognito app client %s reveals whether a user exists in its error messages (prevent_user_existence_errors %v)", [aws.label(c), object.get(c.attributes, "prevent_user_existence_errors", "unknown")]),
		"evidence": {"prevent_user_existence_errors": object.get(c.attributes, "prevent_user_existence_errors", null)},
	}
}

deny contains finding if {
	some c in aws.resources("aws_cognito_user_pool_client")
	not object.get(c.attributes, "enable_token_revocation", null) == true
	finding := {
		"resource": c.id,
		"message": sprintf("Cognito app client %s does not allow its refresh tokens to be revoked", [aws.label(c)]),
		"evidence": {"enable_token_revocation": object.get(c.attributes, "enable_token_revocation", null)},
	}
}
