# METADATA
# title: WAF web ACLs enforce the Known bad inputs rule set, including its Log4j rules
# description: >-
#   Part of the "protection against common web exploits" the reference architecture expects from AWS WAF:
#   the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet blocks request patterns of known
#   exploits, notably Log4Shell (CVE-2021-44228) through its Log4JRCE_* rules. A web ACL passes when one of
#   its rules runs that group (vendor AWS) with `override_action` None and none of the group's Log4JRCE*
#   rules is listed in `excluded_rule` or overridden in `rule_action_override` to anything but Block
#   (Count, Allow, CAPTCHA, Challenge). A group in Count mode, or with an unknown override, fails.
# custom:
#   id: WAF-07
#   severity: high
#   resource_types: [aws_wafv2_web_acl]
#   remediation: >-
#     Add the group with override None and no Log4JRCE exclusions: in Terraform, `rule { name =
#     "AWS-AWSManagedRulesKnownBadInputsRuleSet" priority = 20 override_action { none {} } statement {
#     managed_rule_group_statement { vendor_name = "AWS" name = "AWSManagedRulesKnownBadInputsRuleSet" } }
#     visibility_config { ... } }` and delete `rule_action_override`/`excluded_rule` entries named Log4JRCE*;
#     in the console, WAF & Shield > Web ACLs > <acl> > Rules > Add managed rule groups > Known bad inputs,
#     and set every Log4JRCE rule back to "Use action defined in the rule group".
#   frameworks: {}
package aws.wafv2.known_bad_inputs

import rego.v1

import data.lib.aws
import data.lib.edge

group := "AWSManagedRulesKnownBadInputsRuleSet"

# weakened_log4j(r) is the Log4JRCE* rules a group rule excludes or overrides away from Block.
weakened_log4j(r) := {e.name |
	some e in aws.blocks(edge.managed_group(r), "excluded_rule")
	startswith(e.name, "Log4JRCE")
} | {o.name |
	some o in aws.blocks(edge.managed_group(r), "rule_action_override")
	startswith(o.name, "Log4JRCE")
	edge.override_action_kind(o) != "block"
}

enforced(acl) if {
	some r in edge.aws_group_rules(acl, group)
	edge.enforced_group(r)
	count(weakened_log4j(r)) == 0
}

deny contains finding if {
	some acl in aws.resources("aws_wafv2_web_acl")
	not enforced(acl)
	rules := edge.aws_group_rules(acl, group)
	finding := {
		"resource": acl.id,
		"message": message(acl, rules),
		"evidence": {"managed_rule_groups": [edge.group_evidence(r) | some r in rules]},
	}
}

message(acl, rules) := sprintf("WAF web ACL %s does not run the AWS managed rule group %s", [aws.label(acl), group]) if {
	count(rules) == 0
} else := sprintf(
	"WAF web ACL %s weakens %s: Log4j rules %v are excluded or not blocking",
	[aws.label(acl), group, sort(weakened)],
) if {
	weakened := {n | some r in rules; some n in weakened_log4j(r)}
	count(weakened) > 0
} else := sprintf(
	"WAF web ACL %s runs %s without override_action None (Count only monitors), so the rules do not block",
	[aws.label(acl), group],
)
