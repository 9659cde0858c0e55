package aws.wafv2.common_rule_set_test

import rego.v1

import data.aws.wafv2.common_rule_set
import data.lib.testing

acl(id, rules) := testing.res("aws_wafv2_web_acl", id, {"rule": rules, "default_action": [{"allow": [{}]}]})

managed(vendor, name, override, extra) := {
	"name": sprintf("%s-%s", [vendor, name]),
	"priority": 10,
	"override_action": [{override: [{}]}],
	"statement": [{"managed_rule_group_statement": [object.union({"vendor_name": vendor, "name": name}, extra)]}],
}

test_enforced_group_passes if {
	d := common_rule_set.deny with input as testing.inv([acl("a", [managed("AWS", "AWSManagedRulesCommonRuleSet", "none", {})])])
	count(d) == 0
}

test_single_rule_override_still_passes if {
	extra := {"rule_action_override": [{"name": "SizeRestrictions_BODY", "action_to_use": [{"count": [{}]}]}]}
	d := common_rule_set.deny with input as testing.inv([acl("a", [managed("AWS", "AWSManagedRulesCommonRuleSet", "none", extra)])])
	count(d) == 0
}

test_group_in_count_mode_fails if {
	extra := {"excluded_rule": [{"name": "NoUserAgent_HEADER"}]}
	d := common_rule_set.deny with input as testing.inv([
		acl("a", [managed("AWS", "AWSManagedRulesCommonRuleSet", "count", extra)]),
		acl("b", [managed("AWS", "AWSManagedRulesCommonRuleSet", "none", {})]),
	])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.managed_rule_groups[0].override_action == "count"
	f.evidence.managed_rule_groups[0].excluded_rules == ["NoUserAgent_HEADER"]
}

test_missing_group_fails if {
	d := common_rule_set.deny with input as testing.inv([acl("a", [managed("AWS", "AWSManagedRulesSQLiRuleSet", "none", {})])])
	testing.ids(d) == {"a"}
}

test_other_vendor_does_not_count if {
	d := common_rule_set.deny with input as testing.inv([acl("a", [managed("F5", "AWSManagedRulesCommonRuleSet", "none", {})])])
	testing.ids(d) == {"a"}
}

test_unknown_override_fails if {
	r := object.remove(managed("AWS", "AWSManagedRulesCommonRuleSet", "none", {}), ["override_action"])
	d := common_rule_set.deny with input as testing.inv([acl("a", [r])])
	testing.ids(d) == {"a"}
}

test_plan_shaped_override_passes if {
	r := object.union(managed("AWS", "AWSManagedRulesCommonRuleSet", "none", {}), {"override_action": [{"none": [{}], "count": []}]})
	d := common_rule_set.deny with input as testing.inv([acl("a", [r])])
	count(d) == 0
}
