# METADATA
# title: WAF web ACLs enforce the AWS Core rule set (AWSManagedRulesCommonRuleSet)
# description: >-
#   The reference architecture expects AWS WAF to give "protection against common web exploits"; the AWS
#   managed Core rule set (AWSManagedRulesCommonRuleSet) covers the OWASP Top 10 basics (XSS, local file
#   inclusion, bad bots, oversized requests). A web ACL passes when one of its rules runs the managed rule
#   group with vendor AWS and name AWSManagedRulesCommonRuleSet and `override_action` None. Override Count
#   turns the whole group into monitoring only, so it fails, and so does an unknown override. Rules
#   excluded from the group or overridden (e.g. SizeRestrictions_BODY to Count) are reported in the evidence
#   when the check fails; review them in the web ACL.
# custom:
#   id: WAF-06
#   severity: high
#   resource_types: [aws_wafv2_web_acl]
#   remediation: >-
#     Add the group with override None: in Terraform, `rule { name = "AWS-AWSManagedRulesCommonRuleSet"
#     priority = 10 override_action { none {} } statement { managed_rule_group_statement { vendor_name = "AWS"
#     name = "AWSManagedRulesCommonRuleSet" } } visibility_config { ... } }`; in the console, WAF & Shield >
#     Web ACLs > <acl> > Rules > Add managed rule groups > AWS managed rule groups > Core rule set, with
#     "Override rule group action" off. Override single rules to Count (`rule_action_override`) instead of
#     the whole group when a rule causes false positives.
#   frameworks: {}
package aws.wafv2.common_rule_set

import rego.v1

import data.lib.aws
import data.lib.edge

group := "AWSManagedRulesCommonRuleSet"

enforced(acl) if {
	some r in edge.aws_group_rules(acl, group)
	edge.enforced_group(r)
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
	"WAF web ACL %s runs %s without override_action None (Count only monitors), so the rules do not block",
	[aws.label(acl), group],
)
