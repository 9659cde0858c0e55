package aws.wafv2.alb_web_acl_test

import rego.v1

import data.aws.wafv2.alb_web_acl
import data.lib.testing

acl := "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/app/22222222-2222-2222-2222-222222222222"

alb(id, attrs) := testing.res("aws_lb", id, attrs)

assoc(res) := testing.res("aws_wafv2_web_acl_association", sprintf("%s/%s", [acl, res]), {"web_acl_arn": acl, "resource_arn": res})

test_associated_alb_passes if {
	d := alb_web_acl.deny with input as testing.inv([alb("a", {"load_balancer_type": "application"}), assoc("a")])
	count(d) == 0
}

test_unassociated_alb_fails_with_fail_open_evidence if {
	d := alb_web_acl.deny with input as testing.inv([
		alb("a", {"load_balancer_type": "application", "enable_waf_fail_open": true}),
		alb("b", {"load_balancer_type": "application"}),
		assoc("b"),
	])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.enable_waf_fail_open == true
}

test_unknown_type_is_judged_as_alb if {
	d := alb_web_acl.deny with input as testing.inv([alb("a", {})])
	testing.ids(d) == {"a"}
}

test_network_load_balancer_is_not_judged if {
	d := alb_web_acl.deny with input as testing.inv([alb("a", {"load_balancer_type": "network"})])
	count(d) == 0
}

test_association_to_another_resource_does_not_count if {
	d := alb_web_acl.deny with input as testing.inv([alb("a", {"load_balancer_type": "application"}), assoc("other")])
	testing.ids(d) == {"a"}
}
