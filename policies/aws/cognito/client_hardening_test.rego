package aws.cognito.client_hardening_test

import rego.v1

import data.aws.cognito.client_hardening
import data.lib.testing

client(id, attrs) := testing.res("aws_cognito_user_pool_client", id, attrs)

good := {"user_pool_id": "us-east-1_Pool", "prevent_user_existence_errors": "ENABLED", "enable_token_revocation": true}

test_hardened_client_passes if {
	d := client_hardening.deny with input as testing.inv([client("a", good)])
	count(d) == 0
}

test_legacy_errors_fail if {
	d := client_hardening.deny with input as testing.inv([
		client("a", object.union(good, {"prevent_user_existence_errors": "LEGACY"})),
		client("ok", good),
	])
	testing.ids(d) == {"a"}
}

test_no_token_revocation_fails if {
	d := client_hardening.deny with input as testing.inv([client("a", object.union(good, {"enable_token_revocation": false}))])
	testing.ids(d) == {"a"}
}

test_unknown_values_fail if {
	d := client_hardening.deny with input as testing.inv([client("a", {"user_pool_id": "us-east-1_Pool"})])
	testing.ids(d) == {"a"}
	count(d) == 2
}
