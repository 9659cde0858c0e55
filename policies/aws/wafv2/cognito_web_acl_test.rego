package aws.wafv2.cognito_web_acl_test

import rego.v1

import data.aws.wafv2.cognito_web_acl
import data.lib.testing

acl := "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/app/22222222-2222-2222-2222-222222222222"

pool_arn := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AppPool01"

pool(id) := testing.res("aws_cognito_user_pool", id, {"id": "us-east-1_AppPool01"})

assoc(res) := testing.res("aws_wafv2_web_acl_association", sprintf("%s/%s", [acl, res]), {"web_acl_arn": acl, "resource_arn": res})

test_associated_pool_passes if {
	d := cognito_web_acl.deny with input as testing.inv([pool(pool_arn), assoc(pool_arn)])
	count(d) == 0
}

test_unassociated_pool_fails if {
	d := cognito_web_acl.deny with input as testing.inv([pool(pool_arn), pool("other"), assoc("other")])
	testing.ids(d) == {pool_arn}
}

test_association_without_acl_arn_does_not_count if {
	d := cognito_web_acl.deny with input as testing.inv([
		pool(pool_arn),
		testing.res("aws_wafv2_web_acl_association", "x", {"web_acl_arn": "", "resource_arn": pool_arn}),
	])
	testing.ids(d) == {pool_arn}
}
