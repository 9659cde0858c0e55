package aws.wafv2.acl_has_rules_test

import rego.v1

import data.aws.wafv2.acl_has_rules
import data.lib.testing

acl(id, attrs) := testing.res("aws_wafv2_web_acl", id, attrs)

a_rule := {"name": "rate", "priority": 1, "action": [{"block": [{}]}], "statement": [{"rate_based_statement": [{"limit": 1000, "aggregate_key_type": "IP"}]}]}

test_acl_with_rules_passes if {
	d := acl_has_rules.deny with input as testing.inv([acl("a", {"rule": [a_rule], "default_action": [{"allow": [{}]}]})])
	count(d) == 0
}

test_empty_acl_fails if {
	d := acl_has_rules.deny with input as testing.inv([
		acl("a", {"rule": [], "default_action": [{"allow": [{}]}]}),
		acl("b", {"rule": [a_rule]}),
	])
	testing.ids(d) == {"a"}
}

test_unknown_rules_fail if {
	d := acl_has_rules.deny with input as testing.inv([acl("a", {})])
	testing.ids(d) == {"a"}
}

test_firewall_manager_acl_with_groups_passes if {
	d := acl_has_rules.deny with input as testing.inv([acl("a", {"rule": [], "managed_by_firewall_manager": true, "firewall_manager_rule_groups": 2})])
	count(d) == 0
}

test_firewall_manager_acl_without_groups_fails if {
	d := acl_has_rules.deny with input as testing.inv([acl("a", {"rule": [], "managed_by_firewall_manager": true, "firewall_manager_rule_groups": 0})])
	testing.ids(d) == {"a"}
}

test_group_count_without_firewall_manager_flag_fails if {
	d := acl_has_rules.deny with input as testing.inv([acl("a", {"rule": [], "firewall_manager_rule_groups": 2})])
	testing.ids(d) == {"a"}
}

test_evidence_names_default_action if {
	d := acl_has_rules.deny with input as testing.inv([acl("a", {"rule": [], "default_action": [{"allow": [{}], "block": []}]})])
	some f in d
	f.evidence == {"rule_count": 0, "default_action": "allow", "managed_by_firewall_manager": null, "firewall_manager_rule_groups": null}
}
