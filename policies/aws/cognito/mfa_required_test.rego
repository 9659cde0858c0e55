package aws.cognito.mfa_required_test

import rego.v1

import data.aws.cognito.mfa_required
import data.lib.testing

pool(id, attrs) := testing.res("aws_cognito_user_pool", id, attrs)

totp := [{"enabled": true}]

test_mfa_on_with_totp_passes if {
	d := mfa_required.deny with input as testing.inv([pool("a", {"mfa_configuration": "ON", "software_token_mfa_configuration": totp})])
	count(d) == 0
}

test_optional_mfa_fails if {
	d := mfa_required.deny with input as testing.inv([
		pool("a", {"mfa_configuration": "OPTIONAL", "software_token_mfa_configuration": totp}),
		pool("b", {"mfa_configuration": "OFF", "software_token_mfa_configuration": [{"enabled": false}]}),
		pool("ok", {"mfa_configuration": "ON", "software_token_mfa_configuration": totp}),
	])
	testing.ids(d) == {"a", "b"}
	some f in d
	f.resource == "a"
	contains(f.message, "optional")
}

test_sms_only_mfa_fails if {
	d := mfa_required.deny with input as testing.inv([
		pool("a", {"mfa_configuration": "ON", "software_token_mfa_configuration": [{"enabled": false}]}),
		pool("b", {"mfa_configuration": "ON", "software_token_mfa_configuration": []}),
	])
	testing.ids(d) == {"a", "b"}
}

test_unknown_fails if {
	d := mfa_required.deny with input as testing.inv([pool("a", {"software_token_mfa_configuration": totp})])
	testing.ids(d) == {"a"}
}
