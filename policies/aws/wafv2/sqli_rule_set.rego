# METADATA
# title: WAF web ACLs in front of the Application Load Balancer enforce the SQL injection rule set
# description: >-
#   The application behind the Application Load Balancer stores its data in Amazon RDS for MySQL, so SQL
#   injection is among the "common web exploits" the reference architecture's AWS WAF must stop. Every web
#   ACL associated (`aws_wafv2_web_acl_association`) with an Application Load Balancer must run the AWS
#   managed rule group AWSManagedRulesSQLiRuleSet (vendor AWS) with `override_action` None; Count mode only
#   monitors and fails, as does an unknown override. Web ACLs not associated with an ALB are not judged and
#   pass.
# custom:
#   id: WAF-08
#   severity: high
#   resource_types: [aws_wafv2_web_acl]
#   requires: [aws_wafv2_web_acl_association]
#   remediation: >-
#     Add the group with override None to the ALB's web ACL: in Terraform, `rule { name =
#     "AWS-AWSManagedRulesSQLiRuleSet" priority = 30 override_action { none {} } statement {
#     managed_rule_group_statement { vendor_name = "AWS" name = "AWSManagedRulesSQLiRuleSet" } }
#     visibility_config { ... } }`; in the console, WAF & Shield > Web ACLs > <acl> > Rules > Add managed rule
#     groups > SQL database; or `aws wafv2 update-web-acl ... --rules file://rules.json`.
#   frameworks: {}
package aws.wafv2.sqli_rule_set

import rego.v1

import data.lib.aws
import data.lib.edge

group := "AWSManagedRulesSQLiRuleSet"

fronted_albs(acl) := {arn | some arn in edge.associated_resources(acl); edge.is_alb_arn(arn)}

enforced(acl) if {
	some r in edge.aws_group_rules(acl, group)
	edge.enforced_group(r)
}

deny contains finding if {
	some acl in aws.resources("aws_wafv2_web_acl")
	albs := fronted_albs(acl)
	count(albs) > 0
	not enforced(acl)
	rules := edge.aws_group_rules(acl, group)
	finding := {
		"resource": acl.id,
		"message": message(acl, rules),
		"evidence": {
			"load_balancers": sort(albs),
			"managed_rule_groups": [edge.group_evidence(r) | some r in rules],
		},
	}
}

message(acl, rules) := sprintf(
	"WAF web ACL %s protects an Application Load Balancer but does not run the AWS managed rule group %s",
	[aws.label(acl), group],
) if {
	count(rules) == 0
} else := sprintf(
	"WAF web ACL %s protects an Application Load Balancer but runs %s without override_action None (Count only monitors)",
	[aws.label(acl), group],
)
