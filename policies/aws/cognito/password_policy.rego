# METADATA
# title: Cognito user pools enforce a strong password policy
# description: >-
#   Passwords are the first factor of every sign-in to the reference architecture's application. Judges
#   aws_cognito_user_pool's password_policy[0]: minimum_length at least `cognito_password_min_length`
#   (default 14), require_uppercase, require_lowercase, require_numbers and require_symbols all true, and
#   temporary_password_validity_days at most `cognito_temporary_password_max_days` (default 7; the lifetime
#   of the administrator-set password a new user signs in with). One finding lists every weakness; an
#   absent policy or attribute fails.
# custom:
#   id: COG-03
#   severity: medium
#   resource_types: [aws_cognito_user_pool]
#   remediation: >-
#     `aws cognito-idp update-user-pool --user-pool-id <pool id> --policies
#     'PasswordPolicy={MinimumLength=14,RequireUppercase=true,RequireLowercase=true,RequireNumbers=true,RequireSymbols=true,TemporaryPasswordValidityDays=7}'`
#     (pass the pool's current settings too: update-user-pool resets omitted ones), or set the
#     `password_policy` block of the `aws_cognito_user_pool` in Terraform accordingly. Users keep their
#     current password until they change it.
#   frameworks:
#     fsbp: [Cognito.3]
#     prowler:
#       - cognito_user_pool_password_policy_minimum_length_14
#       - cognito_user_pool_password_policy_uppercase
#       - cognito_user_pool_password_policy_lowercase
#       - cognito_user_pool_password_policy_number
#       - cognito_user_pool_password_policy_symbol
#       - cognito_user_pool_temporary_password_expiration
#   parameters:
#     cognito_password_min_length: 14
#     cognito_temporary_password_max_days: 7
package aws.cognito.password_policy

import rego.v1

import data.lib.aws

policy(pool) := aws.block(pool.attributes, "password_policy")

required_flags := ["require_uppercase", "require_lowercase", "require_numbers", "require_symbols"]

weaknesses(pool) := w if {
	p := policy(pool)
	min_len := data.palisade.config.cognito_password_min_length
	max_days := data.palisade.config.cognito_temporary_password_max_days
	length := [sprintf("minimum length %v is below %v", [object.get(p, "minimum_length", "unknown"), min_len]) |
		not at_least(object.get(p, "minimum_length", null), min_len)
	]
	flags := [sprintf("%s is not true", [f]) | some f in required_flags; not object.get(p, f, null) == true]
	temp := [sprintf("temporary passwords are valid for %v days, more than %v", [object.get(p, "temporary_password_validity_days", "unknown"), max_days]) |
		not at_most(object.get(p, "temporary_password_validity_days", null), max_days)
	]
	w := array.concat(array.concat(length, flags), temp)
}

at_least(v, n) if {
	is_number(v)
	v >= n
}

at_most(v, n) if {
	is_number(v)
	v <= n
}

deny contains finding if {
	some pool in aws.resources("aws_cognito_user_pool")
	w := weaknesses(pool)
	count(w) > 0
	finding := {
		"resource": pool.id,
		"message": sprintf("Cognito user pool %s has a weak password policy: %s", [aws.label(pool), concat("; ", w)]),
		"evidence": {
			"password_policy": policy(pool),
			"cognito_password_min_length": data.palisade.config.cognito_password_min_length,
			"cognito_temporary_password_max_days": data.palisade.config.cognito_temporary_password_max_days,
		},
	}
}
