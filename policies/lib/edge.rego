# Helpers shared by the WAFv2 and Shield rules (WAF-01..10, SHD-01..05): web ACL rule shapes, managed rule
# groups, associations and Shield protections.
package lib.edge

import rego.v1

import data.lib.aws

# present(obj, k) holds when obj carries the nested block or flag k: `{}` (live API shape) or `[{}]`
# (Terraform plan shape). An absent key, null, false or an empty block list (`"count": []`, how a plan
# renders a block that is not set) is not present.
present(obj, k) if {
	v := obj[k]
	v != null
	v != false
	v != []
}

# action_kind(rule) is the key of the rule's action block (block/allow/count/captcha/challenge), or
# "unknown" when the action is absent or ambiguous.
action_kind(rule) := k if {
	a := aws.block(rule, "action")
	kinds := {x | some x in ["block", "allow", "count", "captcha", "challenge"]; present(a, x)}
	count(kinds) == 1
	some k in kinds
} else := "unknown"

# blocks(rule) holds when the rule's own action is Block (Count only records, it does not enforce).
blocks(rule) if action_kind(rule) == "block"

# enforced_group(rule) holds when a rule-group rule's override_action is None: its rules act as
# configured. Override Count (or an absent override) turns the whole group into monitoring only.
enforced_group(rule) if {
	o := aws.block(rule, "override_action")
	present(o, "none")
	not present(o, "count")
}

# override_kind(rule) names the override_action for evidence.
override_kind(rule) := "none" if {
	enforced_group(rule)
} else := "count" if {
	present(aws.block(rule, "override_action"), "count")
} else := "unknown"

# statement(rule) is the rule's top-level statement ({} when absent).
statement(rule) := aws.block(rule, "statement")

# managed_group(rule) is the rule's managed_rule_group_statement ({} when the rule is not one).
managed_group(rule) := aws.block(statement(rule), "managed_rule_group_statement")

# acl_rules(acl) is the ACL's rule list ([] when absent).
acl_rules(acl) := object.get(acl.attributes, "rule", [])

# aws_group_rules(acl, name) is every rule of acl that runs the AWS managed rule group name.
aws_group_rules(acl, name) := [r |
	some r in acl_rules(acl)
	g := managed_group(r)
	g.vendor_name == "AWS"
	g.name == name
]

# override_action_kind(o) is the action a rule_action_override applies (block/allow/count/...).
override_action_kind(o) := k if {
	a := aws.block(o, "action_to_use")
	kinds := {x | some x in ["block", "allow", "count", "captcha", "challenge"]; present(a, x)}
	count(kinds) == 1
	some k in kinds
} else := "unknown"

# group_evidence(rule) summarises how a managed group runs: its override, excluded rules, overrides.
group_evidence(rule) := {
	"rule": object.get(rule, "name", null),
	"override_action": override_kind(rule),
	"excluded_rules": [e.name | some e in aws.blocks(managed_group(rule), "excluded_rule")],
	"rule_action_overrides": [{"name": o.name, "action": override_action_kind(o)} |
		some o in aws.blocks(managed_group(rule), "rule_action_override")
	],
}

# ids(r) is every identifier other resources may use for r: its inventory id and its ARN attribute.
ids(r) := {x | some x in [r.id, object.get(r.attributes, "arn", null)]; is_string(x); x != ""}

# acls_by_resource maps a resource ARN to the web ACL ARNs associated with it (aws_wafv2_web_acl_association),
# resources_by_acl the other way round; both are built once per evaluation.
acls_by_resource[arn] contains acl if {
	some a in aws.resources("aws_wafv2_web_acl_association")
	arn := a.attributes.resource_arn
	acl := a.attributes.web_acl_arn
	is_string(arn)
	is_string(acl)
	acl != ""
}

resources_by_acl[acl] contains arn if {
	some a in aws.resources("aws_wafv2_web_acl_association")
	arn := a.attributes.resource_arn
	acl := a.attributes.web_acl_arn
	is_string(arn)
	is_string(acl)
}

# web_acls_for(r) is the set of web ACL ARNs associated with r.
web_acls_for(r) := {acl | some x in ids(r); some acl in acls_by_resource[x]}

# associated_resources(acl) is the set of resource ARNs associated with the web ACL acl.
associated_resources(acl) := {arn | some x in ids(acl); some arn in resources_by_acl[x]}

# is_alb_arn(arn) holds for an Application Load Balancer ARN.
is_alb_arn(arn) if {
	startswith(arn, "arn:aws")
	contains(arn, ":elasticloadbalancing:")
	contains(arn, ":loadbalancer/app/")
}

# is_cloudfront_arn(arn) holds for a CloudFront distribution ARN.
is_cloudfront_arn(arn) if {
	startswith(arn, "arn:aws")
	contains(arn, ":cloudfront::")
	contains(arn, ":distribution/")
}

# application_lb(lb) holds for an Application Load Balancer (Terraform's default type when absent).
application_lb(lb) if object.get(lb.attributes, "load_balancer_type", "application") == "application"

# protection_index maps a protected resource ARN to its Shield Advanced protections (built once per
# evaluation).
protection_index[arn] contains p if {
	some p in aws.resources("aws_shield_protection")
	arn := object.get(p.attributes, "resource_arn", null)
	is_string(arn)
}

# protections_for(r) is every Shield Advanced protection (same account) whose resource_arn is r.
protections_for(r) := [p | some p in protection_set(r)]

protection_set(r) := {q |
	some x in ids(r)
	some q in protection_index[x]
	aws.same_account(q, r)
}

# protection_evidence(r) lists the protections found for r (empty when none).
protection_evidence(r) := [p.id | some p in protections_for(r)]

# default_action_kind(acl) is the key of the web ACL's default action (allow/block), or "unknown".
default_action_kind(acl) := k if {
	a := aws.block(acl.attributes, "default_action")
	kinds := {x | some x in ["allow", "block"]; present(a, x)}
	count(kinds) == 1
	some k in kinds
} else := "unknown"
