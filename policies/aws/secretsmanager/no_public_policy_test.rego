package aws.secretsmanager.no_public_policy_test

import rego.v1

import data.aws.secretsmanager.no_public_policy as rule
import data.lib.testing

secret(id, statements) := testing.res("aws_secretsmanager_secret", id, {"policy": json.marshal({"Version": "2012-10-17", "Statement": statements})})

allow(principal) := {"Effect": "Allow", "Principal": principal, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}

test_named_principals_and_no_policy_pass if {
	d := rule.deny with input as testing.inv([
		secret("a", [allow({"AWS": "arn:aws:iam::123456789012:role/app-task"})]),
		testing.res("aws_secretsmanager_secret", "b", {"policy": ""}),
		testing.res("aws_secretsmanager_secret", "c", {"policy": null}),
		secret("d", [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]),
	])
	count(d) == 0
}

test_public_principal_fails if {
	d := rule.deny with input as testing.inv([
		secret("a", [allow("*")]),
		secret("b", [allow({"AWS": ["arn:aws:iam::123456789012:root", "*"]})]),
		secret("c", [allow({"AWS": "arn:aws:iam::123456789012:root"})]),
	])
	testing.ids(d) == {"a", "b"}
}

test_org_or_vpce_condition_restricts if {
	d := rule.deny with input as testing.inv([
		secret("a", [object.union(allow("*"), {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}})]),
		secret("b", [object.union(allow({"AWS": "*"}), {"Condition": {"StringEquals": {"aws:sourceVpce": ["vpce-0123456789abcdef0"]}}})]),
	])
	count(d) == 0
}

test_weak_conditions_do_not_restrict if {
	d := rule.deny with input as testing.inv([
		secret("a", [object.union(allow("*"), {"Condition": {"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}}})]),
		secret("b", [object.union(allow("*"), {"Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}})]),
		secret("c", [object.union(allow("*"), {"Condition": {"StringLike": {"aws:PrincipalOrgID": "*"}}})]),
		secret("d", [object.union(allow("*"), {"Condition": {"Bool": {"aws:SecureTransport": "true"}}})]),
	])
	testing.ids(d) == {"a", "b", "c", "d"}
}

test_not_principal_allow_fails if {
	d := rule.deny with input as testing.inv([secret("a", [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "*", "Resource": "*"}])])
	testing.ids(d) == {"a"}
}

test_unknown_or_invalid_policy_fails if {
	d := rule.deny with input as testing.inv([
		testing.res("aws_secretsmanager_secret", "a", {"name": "a"}),
		testing.res("aws_secretsmanager_secret", "b", {"policy": "{not json"}),
	])
	testing.ids(d) == {"a", "b"}
}

test_single_statement_object_is_read if {
	p := json.marshal({"Version": "2012-10-17", "Statement": allow("*")})
	d := rule.deny with input as testing.inv([testing.res("aws_secretsmanager_secret", "a", {"policy": p})])
	testing.ids(d) == {"a"}
}
