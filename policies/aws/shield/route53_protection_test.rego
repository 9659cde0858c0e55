package aws.shield.route53_protection_test

import rego.v1

import data.aws.shield.route53_protection
import data.lib.testing

zone_arn := "arn:aws:route53:::hostedzone/Z0APPZONE00001"

zone(id, attrs) := object.union(testing.res("aws_route53_zone", id, attrs), {"region": "global"})

protection(res) := object.union(
	testing.res("aws_shield_protection", sprintf("arn:aws:shield::123456789012:protection/%s", [res]), {"name": "p", "resource_arn": res}),
	{"region": "global"},
)

test_protected_zone_passes if {
	d := route53_protection.deny with input as testing.inv([zone(zone_arn, {"name": "app.example.com", "private_zone": false}), protection(zone_arn)])
	count(d) == 0
}

test_unprotected_public_zone_fails if {
	d := route53_protection.deny with input as testing.inv([zone(zone_arn, {"name": "app.example.com", "private_zone": false})])
	testing.ids(d) == {zone_arn}
}

test_unknown_visibility_is_judged_as_public if {
	d := route53_protection.deny with input as testing.inv([zone(zone_arn, {"name": "app.example.com"})])
	testing.ids(d) == {zone_arn}
}

test_private_zone_is_not_judged if {
	d := route53_protection.deny with input as testing.inv([zone(zone_arn, {"name": "app.internal", "private_zone": true})])
	count(d) == 0
}
