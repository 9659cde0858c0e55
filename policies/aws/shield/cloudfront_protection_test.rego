package aws.shield.cloudfront_protection_test

import rego.v1

import data.aws.shield.cloudfront_protection
import data.lib.testing

dist_arn := "arn:aws:cloudfront::123456789012:distribution/E1APPDIST0001"

dist(id) := object.union(testing.res("aws_cloudfront_distribution", id, {"domain_name": "d1.cloudfront.net"}), {"region": "global"})

protection(res) := object.union(
	testing.res("aws_shield_protection", sprintf("arn:aws:shield::123456789012:protection/%s", [res]), {"name": "p", "resource_arn": res}),
	{"region": "global"},
)

test_protected_distribution_passes if {
	d := cloudfront_protection.deny with input as testing.inv([dist(dist_arn), protection(dist_arn)])
	count(d) == 0
}

test_unprotected_distribution_fails if {
	d := cloudfront_protection.deny with input as testing.inv([dist(dist_arn), dist("other"), protection("other")])
	testing.ids(d) == {dist_arn}
}

test_protection_in_another_account_does_not_count if {
	p := object.union(protection(dist_arn), {"account": "210987654321"})
	d := cloudfront_protection.deny with input as testing.inv([dist(dist_arn), p])
	testing.ids(d) == {dist_arn}
}
