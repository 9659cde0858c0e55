# METADATA
# title: Cognito user pools enforce advanced security (threat protection)
# description: >-
#   Cognito's advanced security features (threat protection) check every sign-in of the reference
#   architecture's users against compromised-credential lists and score it for risk (new device, unusual
#   location, impossible travel), then block or challenge it with MFA. In AUDIT mode risks are only logged
#   and nothing is blocked, so only user_pool_add_ons[0].advanced_security_mode == "ENFORCED" passes. Judges
#   aws_cognito_user_pool; an unknown mode fails.
# custom:
#   id: COG-02
#   severity: medium
#   resource_types: [aws_cognito_user_pool]
#   remediation: >-
#     `aws cognito-idp update-user-pool --user-pool-id <pool id> --user-pool-add-ons
#     AdvancedSecurityMode=ENFORCED` (update-user-pool resets settings not passed on the command line: pass
#     the pool's current configuration too), or set `user_pool_add_ons { advanced_security_mode = "ENFORCED"
#     }` on the `aws_cognito_user_pool` in Terraform; then configure the risk actions (block, MFA) in the
#     console. Threat protection needs the pool's Plus feature plan.
#   frameworks:
#     fsbp: [Cognito.1]
#     prowler: [cognito_user_pool_advanced_security_enabled]
#     aws-config: [cognito-user-pool-advanced-security-enabled]
package aws.cognito.advanced_security

import rego.v1

import data.lib.aws

mode(pool) := object.get(aws.block(pool.attributes, "user_pool_add_ons"), "advanced_security_mode", null)

deny contains finding if {
	some pool in aws.resources("aws_cognito_user_pool")
	not mode(pool) == "ENFORCED"
	finding := {
		"resource": pool.id,
		"message": message(pool),
		"evidence": {"advanced_security_mode": mode(pool)},
	}
}

message(pool) := sprintf("Cognito user pool %s only audits sign-in risks and does not block them (advanced security AUDIT)", [aws.label(pool)]) if {
	mode(pool) == "AUDIT"
} else := sprintf("Cognito user pool %s does not enforce advanced security (mode %v)", [aws.label(pool), mode(pool)])
