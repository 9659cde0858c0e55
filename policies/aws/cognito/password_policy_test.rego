package aws.cognito.password_policy_test

import rego.v1

import data.aws.cognito.password_policy
import data.lib.testing

strong := {
	"minimum_length": 14,
	"require_uppercase": true,
	"require_lowercase": true,
	"require_numbers": true,
	"require_symbols": true,
	"temporary_password_validity_days": 7,
}

pool(id, p) := testing.res("aws_cognito_user_pool", id, {"password_policy": [p]})

test_strong_policy_passes if {
	d := password_policy.deny with input as testing.inv([pool("a", strong), pool("b", object.union(strong, {"minimum_length": 20, "temporary_password_validity_days": 1}))])
	count(d) == 0
}

test_weak_policy_fails_with_every_weakness if {
	d := password_policy.deny with input as testing.inv([
		pool("a", {"minimum_length": 8, "require_uppercase": true, "require_lowercase": true, "require_numbers": false, "require_symbols": false, "temporary_password_validity_days": 30}),
		pool("ok", strong),
	])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "minimum length 8 is below 14")
	contains(f.message, "require_numbers")
	contains(f.message, "require_symbols")
	contains(f.message, "30 days")
	not contains(f.message, "require_uppercase")
}

test_each_single_weakness_fails if {
	d := password_policy.deny with input as testing.inv([
		pool("len", object.union(strong, {"minimum_length": 13})),
		pool("temp", object.union(strong, {"temporary_password_validity_days": 8})),
		pool("sym", object.union(strong, {"require_symbols": false})),
	])
	testing.ids(d) == {"len", "temp", "sym"}
}

test_absent_policy_or_attribute_fails if {
	d := password_policy.deny with input as testing.inv([
		testing.res("aws_cognito_user_pool", "none", {}),
		pool("partial", object.remove(strong, ["require_lowercase"])),
	])
	testing.ids(d) == {"none", "partial"}
}

test_parameters_are_honoured if {
	d := password_policy.deny with input as testing.inv([pool("a", strong)])
		with data.palisade.config.cognito_password_min_length as 16
	testing.ids(d) == {"a"}
}
