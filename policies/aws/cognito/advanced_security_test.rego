package aws.cognito.advanced_security_test

import rego.v1

import data.aws.cognito.advanced_security
import data.lib.testing

pool(id, mode) := testing.res("aws_cognito_user_pool", id, {"user_pool_add_ons": [{"advanced_security_mode": mode}]})

test_enforced_passes if {
	d := advanced_security.deny with input as testing.inv([pool("a", "ENFORCED")])
	count(d) == 0
}

test_audit_and_off_fail if {
	d := advanced_security.deny with input as testing.inv([pool("a", "AUDIT"), pool("b", "OFF"), pool("ok", "ENFORCED")])
	testing.ids(d) == {"a", "b"}
}

test_unknown_fails if {
	d := advanced_security.deny with input as testing.inv([testing.res("aws_cognito_user_pool", "a", {})])
	testing.ids(d) == {"a"}
}
