package aws.ec2.alb_ingress_restricted_test

import rego.v1

import data.aws.ec2.alb_ingress_restricted as rule
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

alb(id, attrs) := testing.res("aws_lb", id, object.union({"load_balancer_type": "application", "internal": false}, attrs))

from_cidr(port) := {"protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": ["0.0.0.0/0"]}

from_pl(port) := {"protocol": "tcp", "from_port": port, "to_port": port, "prefix_list_ids": ["pl-3b927c52"]}

test_web_ports_pass if {
	d := rule.deny with input as testing.inv([alb("a", {"security_groups": ["sg-a"]}), sg("sg-a", [from_cidr(80), from_cidr(443)])])
	count(d) == 0
}

test_other_port_fails if {
	d := rule.deny with input as testing.inv([
		alb("a", {"security_groups": ["sg-a"]}),
		alb("b", {"security_groups": ["sg-b"]}),
		sg("sg-a", [from_cidr(443), from_cidr(22), {"protocol": "tcp", "from_port": 8080, "to_port": 8080, "security_groups": ["sg-x"]}]),
		sg("sg-b", [from_pl(443)]),
	])
	testing.ids(d) == {"a"}
	some f in d
	count(f.evidence.offending_ingress["sg-a"]) == 2
}

test_prefix_list_required_by_parameter if {
	inp := testing.inv([
		alb("a", {"security_groups": ["sg-a"]}),
		alb("b", {"security_groups": ["sg-b"]}),
		sg("sg-a", [from_cidr(443)]),
		sg("sg-b", [from_pl(80), from_pl(443)]),
	])
	d := rule.deny with input as inp with data.palisade.config.alb_require_cloudfront_origin_prefix_list as true
	testing.ids(d) == {"a"}
	d2 := rule.deny with input as inp
	count(d2) == 0
}

test_internal_and_network_lbs_not_judged if {
	d := rule.deny with input as testing.inv([
		alb("i", {"internal": true, "security_groups": ["sg-a"]}),
		alb("n", {"load_balancer_type": "network", "security_groups": ["sg-a"]}),
		sg("sg-a", [from_cidr(22)]),
	])
	count(d) == 0
}

test_unknown_internal_is_judged if {
	lb := testing.res("aws_lb", "a", {"security_groups": ["sg-a"]})
	d := rule.deny with input as testing.inv([lb, sg("sg-a", [from_cidr(22)])])
	testing.ids(d) == {"a"}
}

test_missing_or_unknown_groups_fail if {
	d := rule.deny with input as testing.inv([alb("a", {"security_groups": ["sg-gone"]}), alb("b", {})])
	testing.ids(d) == {"a", "b"}
}
