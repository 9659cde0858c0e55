package aws.cognito.deletion_protection_test

import rego.v1

import data.aws.cognito.deletion_protection
import data.lib.testing

pool(id, attrs) := testing.res("aws_cognito_user_pool", id, attrs)

test_active_passes if {
	d := deletion_protection.deny with input as testing.inv([pool("a", {"deletion_protection": "ACTIVE"})])
	count(d) == 0
}

test_inactive_fails if {
	d := deletion_protection.deny with input as testing.inv([pool("a", {"deletion_protection": "INACTIVE"}), pool("ok", {"deletion_protection": "ACTIVE"})])
	testing.ids(d) == {"a"}
}

test_unknown_fails if {
	d := deletion_protection.deny with input as testing.inv([pool("a", {})])
	testing.ids(d) == {"a"}
}
