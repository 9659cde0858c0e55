package aws.iam.admin_policies_test

import rego.v1

import data.aws.iam.admin_policies
import data.lib.testing

doc(stmts) := json.marshal({"Version": "2012-10-17", "Statement": stmts})

admin := {"Effect": "Allow", "Action": "*", "Resource": "*"}

scoped := {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::app-static-assets/*"}

managed(id, stmts, attachments) := testing.res("aws_iam_policy", id, {"name": id, "policy": doc(stmts), "attachment_count": attachments})

test_least_privilege_policies_pass if {
	d := admin_policies.deny with input as testing.inv([
		managed("a", [scoped], 2),
		testing.res("aws_iam_role_policy", "r", {"name": "r", "role": "app-task", "policy": doc([scoped])}),
	])
	count(d) == 0
}

test_attached_admin_policy_fails if {
	d := admin_policies.deny with input as testing.inv([managed("a", [scoped, admin], 1), managed("b", [scoped], 1)])
	testing.ids(d) == {"a"}
}

test_unattached_admin_policy_is_not_judged if {
	d := admin_policies.deny with input as testing.inv([managed("a", [admin], 0)])
	count(d) == 0
}

test_unknown_attachment_is_judged if {
	p := testing.res("aws_iam_policy", "a", {"name": "a", "policy": doc([admin])})
	d := admin_policies.deny with input as testing.inv([p])
	testing.ids(d) == {"a"}
}

test_inline_admin_statements_fail if {
	d := admin_policies.deny with input as testing.inv([
		testing.res("aws_iam_role_policy", "r", {"role": "legacy-task", "policy": json.marshal({"Statement": {"Effect": "Allow", "Action": ["s3:*", "*"], "Resource": ["*"]}})}),
		testing.res("aws_iam_user_policy", "u", {"user": "deploy", "policy": doc([admin])}),
		testing.res("aws_iam_group_policy", "g", {"group": "ops", "policy": doc([scoped])}),
	])
	testing.ids(d) == {"r", "u"}
}

test_deny_or_scoped_resource_is_not_admin if {
	d := admin_policies.deny with input as testing.inv([
		managed("a", [{"Effect": "Deny", "Action": "*", "Resource": "*"}], 1),
		managed("b", [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::x/*"}], 1),
	])
	count(d) == 0
}
