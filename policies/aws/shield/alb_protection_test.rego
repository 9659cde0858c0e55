package aws.shield.alb_protection_test

import rego.v1

import data.aws.shield.alb_protection
import data.lib.testing

alb_arn := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188"

lb(id, attrs) := testing.res("aws_lb", id, attrs)

protection(res) := object.union(
	testing.res("aws_shield_protection", sprintf("arn:aws:shield::123456789012:protection/%s", [res]), {"name": "p", "resource_arn": res}),
	{"region": "global"},
)

test_protected_alb_passes if {
	d := alb_protection.deny with input as testing.inv([lb(alb_arn, {"load_balancer_type": "application", "internal": false}), protection(alb_arn)])
	count(d) == 0
}

test_unprotected_internet_facing_alb_fails if {
	d := alb_protection.deny with input as testing.inv([lb(alb_arn, {"load_balancer_type": "application", "internal": false})])
	testing.ids(d) == {alb_arn}
}

test_unknown_scheme_is_judged_as_internet_facing if {
	d := alb_protection.deny with input as testing.inv([lb(alb_arn, {"load_balancer_type": "application"})])
	testing.ids(d) == {alb_arn}
}

test_internal_alb_and_nlb_are_not_judged if {
	d := alb_protection.deny with input as testing.inv([
		lb("internal", {"load_balancer_type": "application", "internal": true}),
		lb("nlb", {"load_balancer_type": "network", "internal": false}),
	])
	count(d) == 0
}
