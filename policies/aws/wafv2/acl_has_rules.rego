# METADATA
# title: WAF web ACLs contain at least one rule
# description: >-
#   A web ACL without rules applies only its default action: with the usual default Allow it inspects
#   nothing, so the resources it protects get none of the exploit protection, IP filtering or rate limiting
#   the reference architecture asks of AWS WAF. The ACL passes when its `rule` list is non-empty. A web ACL
#   managed by AWS Firewall Manager keeps its rules in Firewall Manager's pre- and post-process rule groups,
#   which are not part of `rule`: it passes when it has at least one of them
#   (`managed_by_firewall_manager` true and `firewall_manager_rule_groups` > 0; see prowler#6030). An unknown
#   rule list fails.
# custom:
#   id: WAF-03
#   severity: medium
#   resource_types: [aws_wafv2_web_acl]
#   remediation: >-
#     Add rules to the web ACL, at least the AWS managed rule groups AWSManagedRulesCommonRuleSet and
#     AWSManagedRulesKnownBadInputsRuleSet and a rate-based rule: in the console, WAF & Shield > Web ACLs >
#     <acl> > Rules > Add rules; with the CLI, `aws wafv2 update-web-acl --name <n> --scope <REGIONAL|CLOUDFRONT>
#     --id <id> --lock-token <token> --default-action Allow={} --rules file://rules.json
#     --visibility-config ...`; in Terraform add `rule { ... }` blocks to the `aws_wafv2_web_acl`. Delete
#     web ACLs that protect nothing.
#   frameworks:
#     fsbp: [WAF.10]
#     nist-800-53-r5: [CA-9(1), CM-2]
#     prowler: [wafv2_webacl_with_rules]
package aws.wafv2.acl_has_rules

import rego.v1

import data.lib.aws
import data.lib.edge

firewall_manager_groups(acl) if {
	object.get(acl.attributes, "managed_by_firewall_manager", false) == true
	n := object.get(acl.attributes, "firewall_manager_rule_groups", 0)
	is_number(n)
	n > 0
}

has_rules(acl) if {
	rules := object.get(acl.attributes, "rule", null)
	is_array(rules)
	count(rules) > 0
}

deny contains finding if {
	some acl in aws.resources("aws_wafv2_web_acl")
	not has_rules(acl)
	not firewall_manager_groups(acl)
	rules := object.get(acl.attributes, "rule", null)
	finding := {
		"resource": acl.id,
		"message": sprintf("WAF web ACL %s has no rules, so it only applies its default action", [aws.label(acl)]),
		"evidence": {
			"rule_count": rule_count(rules),
			"default_action": edge.default_action_kind(acl),
			"managed_by_firewall_manager": object.get(acl.attributes, "managed_by_firewall_manager", null),
			"firewall_manager_rule_groups": object.get(acl.attributes, "firewall_manager_rule_groups", null),
		},
	}
}

rule_count(rules) := count(rules) if {
	is_array(rules)
} else := null
