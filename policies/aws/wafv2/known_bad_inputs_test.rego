package aws.wafv2.known_bad_inputs_test

import rego.v1

import data.aws.wafv2.known_bad_inputs
import data.lib.testing

acl(id, rules) := testing.res("aws_wafv2_web_acl", id, {"rule": rules, "default_action": [{"allow": [{}]}]})

kbi(override, extra) := {
	"name": "AWS-AWSManagedRulesKnownBadInputsRuleSet",
	"priority": 20,
	"override_action": [{override: [{}]}],
	"statement": [{"managed_rule_group_statement": [object.union({"vendor_name": "AWS", "name": "AWSManagedRulesKnownBadInputsRuleSet"}, extra)]}],
}

override(name, action) := {"name": name, "action_to_use": [{action: [{}]}]}

test_enforced_group_passes if {
	d := known_bad_inputs.deny with input as testing.inv([acl("a", [kbi("none", {})])])
	count(d) == 0
}

test_non_log4j_override_passes if {
	d := known_bad_inputs.deny with input as testing.inv([acl("a", [kbi("none", {"rule_action_override": [override("Host_localhost_HEADER", "count")]})])])
	count(d) == 0
}

test_log4j_override_to_block_passes if {
	d := known_bad_inputs.deny with input as testing.inv([acl("a", [kbi("none", {"rule_action_override": [override("Log4JRCE_HEADER", "block")]})])])
	count(d) == 0
}

test_log4j_excluded_fails if {
	d := known_bad_inputs.deny with input as testing.inv([
		acl("a", [kbi("none", {"excluded_rule": [{"name": "Log4JRCE_BODY"}]})]),
		acl("b", [kbi("none", {})]),
	])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "Log4JRCE_BODY")
}

test_log4j_overridden_to_count_fails if {
	d := known_bad_inputs.deny with input as testing.inv([acl("a", [kbi("none", {"rule_action_override": [override("Log4JRCE_QUERYSTRING", "count")]})])])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.managed_rule_groups[0].rule_action_overrides == [{"name": "Log4JRCE_QUERYSTRING", "action": "count"}]
}

test_group_in_count_mode_fails if {
	d := known_bad_inputs.deny with input as testing.inv([acl("a", [kbi("count", {})])])
	testing.ids(d) == {"a"}
}

test_missing_group_fails if {
	d := known_bad_inputs.deny with input as testing.inv([acl("a", [])])
	testing.ids(d) == {"a"}
}
