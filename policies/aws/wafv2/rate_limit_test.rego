package aws.wafv2.rate_limit_test

import rego.v1

import data.aws.wafv2.rate_limit
import data.lib.testing

acl(id, rules) := testing.res("aws_wafv2_web_acl", id, {"rule": rules, "default_action": [{"allow": [{}]}]})

rate(action, stmt) := {"name": "rate", "priority": 1, "action": [{action: [{}]}], "statement": [{"rate_based_statement": [stmt]}]}

good := {"limit": 1000, "aggregate_key_type": "IP", "evaluation_window_sec": 300}

test_blocking_ip_rate_rule_passes if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", good)])])
	count(d) == 0
}

test_forwarded_ip_passes if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", {"limit": 2000, "aggregate_key_type": "FORWARDED_IP"})])])
	count(d) == 0
}

test_count_action_fails if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("count", good)]), acl("b", [rate("block", good)])])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.rate_based_rules[0].action == "count"
}

test_no_rate_rule_fails if {
	d := rate_limit.deny with input as testing.inv([acl("a", [])])
	testing.ids(d) == {"a"}
}

test_limit_above_maximum_fails if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", {"limit": 10000, "aggregate_key_type": "IP"})])])
	testing.ids(d) == {"a"}
}

test_short_window_is_scaled if {
	# 500 per 60 s is 2500 per 5 minutes: above the default 2000.
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", {"limit": 500, "aggregate_key_type": "IP", "evaluation_window_sec": 60})])])
	testing.ids(d) == {"a"}
}

test_parameter_raises_the_maximum if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", {"limit": 10000, "aggregate_key_type": "IP"})])])
		with data.palisade.config.waf_rate_limit_max as 10000
	count(d) == 0
}

test_non_ip_aggregation_fails if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", {"limit": 100, "aggregate_key_type": "CONSTANT"})])])
	testing.ids(d) == {"a"}
}

test_unknown_limit_fails if {
	d := rate_limit.deny with input as testing.inv([acl("a", [rate("block", {"aggregate_key_type": "IP"})])])
	testing.ids(d) == {"a"}
}

test_plan_shaped_action_with_empty_blocks if {
	r := {"name": "rate", "action": [{"block": [{}], "count": [], "allow": []}], "statement": [{"rate_based_statement": [good]}]}
	d := rate_limit.deny with input as testing.inv([acl("a", [r])])
	count(d) == 0
}
