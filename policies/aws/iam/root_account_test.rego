package aws.iam.root_account_test

import rego.v1

import data.aws.iam.root_account
import data.lib.testing

summary(id, attrs) := testing.res("aws_iam_account_summary", id, attrs)

test_mfa_and_no_keys_passes if {
	d := root_account.deny with input as testing.inv([summary("a", {"account_mfa_enabled": 1, "account_access_keys_present": 0})])
	count(d) == 0
}

test_no_mfa_fails if {
	d := root_account.deny with input as testing.inv([summary("a", {"account_mfa_enabled": 0, "account_access_keys_present": 0})])
	testing.ids(d) == {"a"}
}

test_root_keys_fail if {
	d := root_account.deny with input as testing.inv([summary("a", {"account_mfa_enabled": 1, "account_access_keys_present": 1})])
	testing.ids(d) == {"a"}
}

test_unknown_values_fail if {
	d := root_account.deny with input as testing.inv([summary("a", {}), summary("b", {"account_mfa_enabled": 1})])
	testing.ids(d) == {"a", "b"}
}
