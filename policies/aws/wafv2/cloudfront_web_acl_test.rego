package aws.wafv2.cloudfront_web_acl_test

import rego.v1

import data.aws.wafv2.cloudfront_web_acl
import data.lib.testing

dist(id, attrs) := testing.res("aws_cloudfront_distribution", id, attrs)

acl_arn := "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/11111111-1111-1111-1111-111111111111"

test_wafv2_acl_passes if {
	d := cloudfront_web_acl.deny with input as testing.inv([dist("a", {"web_acl_id": acl_arn})])
	count(d) == 0
}

test_no_acl_fails if {
	d := cloudfront_web_acl.deny with input as testing.inv([dist("a", {"web_acl_id": ""}), dist("b", {"web_acl_id": acl_arn})])
	testing.ids(d) == {"a"}
}

test_waf_classic_id_fails if {
	d := cloudfront_web_acl.deny with input as testing.inv([dist("a", {"web_acl_id": "473e64fd-f30b-4765-81a0-62ad96dd167a"})])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "Classic")
}

test_unknown_acl_fails if {
	d := cloudfront_web_acl.deny with input as testing.inv([dist("a", {})])
	testing.ids(d) == {"a"}
}
