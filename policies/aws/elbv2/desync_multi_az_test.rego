package aws.elbv2.desync_multi_az_test

import rego.v1

import data.aws.elbv2.desync_multi_az
import data.lib.testing

lb(id, attrs) := testing.res("aws_lb", id, object.union({"load_balancer_type": "application"}, attrs))

two_azs := {"availability_zones": ["us-east-1a", "us-east-1b"], "subnets": ["subnet-0a", "subnet-0b"]}

test_defensive_two_az_alb_passes if {
	d := desync_multi_az.deny with input as testing.inv([
		lb("a", object.union(two_azs, {"desync_mitigation_mode": "defensive"})),
		lb("b", {"desync_mitigation_mode": "strictest", "subnets": ["subnet-0a", "subnet-0b", "subnet-0c"]}),
	])
	count(d) == 0
}

test_monitor_mode_fails if {
	d := desync_multi_az.deny with input as testing.inv([
		lb("a", object.union(two_azs, {"desync_mitigation_mode": "monitor"})),
		lb("b", two_azs),
		lb("c", object.union(two_azs, {"desync_mitigation_mode": "defensive"})),
	])
	testing.ids(d) == {"a", "b"}
}

test_single_az_fails if {
	d := desync_multi_az.deny with input as testing.inv([
		lb("a", {"desync_mitigation_mode": "defensive", "availability_zones": ["us-east-1a"], "subnets": ["subnet-0a"]}),
		lb("b", {"desync_mitigation_mode": "defensive", "subnets": ["subnet-0a"]}),
		lb("c", {"desync_mitigation_mode": "defensive"}),
	])
	testing.ids(d) == {"a", "b", "c"}
}

test_both_problems_give_one_finding if {
	d := desync_multi_az.deny with input as testing.inv([lb("a", {"desync_mitigation_mode": "monitor", "subnets": ["subnet-0a"]})])
	count(d) == 1
	some f in d
	contains(f.message, "monitor")
	contains(f.message, "fewer than 2")
}
