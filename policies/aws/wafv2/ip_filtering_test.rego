package aws.wafv2.ip_filtering_test

import rego.v1

import data.aws.wafv2.ip_filtering
import data.lib.testing

set_arn := "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/blocked/44444444-4444-4444-4444-444444444444"

ip_set(addresses) := testing.res("aws_wafv2_ip_set", set_arn, {"name": "blocked", "scope": "REGIONAL", "ip_address_version": "IPV4", "addresses": addresses})

acl(id, dflt, rules) := testing.res("aws_wafv2_web_acl", id, {"rule": rules, "default_action": [{dflt: [{}]}]})

ref := {"ip_set_reference_statement": [{"arn": set_arn}]}

ip_rule(action, stmt) := {"name": "ip", "priority": 0, "action": [{action: [{}]}], "statement": [stmt]}

test_deny_list_passes if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", [ip_rule("block", ref)]), ip_set(["198.51.100.0/24"])])
	count(d) == 0
}

test_allow_list_with_default_block_passes if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "block", [ip_rule("allow", ref)]), ip_set(["203.0.113.10/32"])])
	count(d) == 0
}

test_allow_rule_with_default_allow_fails if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", [ip_rule("allow", ref)]), ip_set(["203.0.113.10/32"])])
	testing.ids(d) == {"a"}
}

test_block_not_in_set_passes if {
	d := ip_filtering.deny with input as testing.inv([
		acl("a", "allow", [ip_rule("block", {"not_statement": [{"statement": [ref]}]})]),
		ip_set(["203.0.113.10/32"]),
	])
	count(d) == 0
}

test_nested_in_and_statement_passes if {
	stmt := {"and_statement": [{"statement": [ref, {"byte_match_statement": [{"search_string": "/admin"}]}]}]}
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", [ip_rule("block", stmt)]), ip_set(["198.51.100.0/24"])])
	count(d) == 0
}

test_empty_ip_set_fails if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", [ip_rule("block", ref)]), ip_set([])])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.ip_set_rules == [{"name": "ip", "action": "block", "ip_sets": [{"arn": set_arn, "addresses": 0}]}]
}

test_count_action_fails if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", [ip_rule("count", ref)]), ip_set(["198.51.100.0/24"])])
	testing.ids(d) == {"a"}
}

test_unknown_ip_set_fails if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", [ip_rule("block", ref)])])
	testing.ids(d) == {"a"}
}

test_no_ip_rule_fails if {
	d := ip_filtering.deny with input as testing.inv([acl("a", "allow", []), ip_set(["198.51.100.0/24"])])
	testing.ids(d) == {"a"}
}
