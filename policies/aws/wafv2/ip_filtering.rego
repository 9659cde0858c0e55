# METADATA
# title: WAF web ACLs filter traffic by IP address with a populated IP set
# description: >-
#   The reference architecture lists "IP-based filtering" among AWS WAF's jobs. A web ACL passes when it
#   enforces an IP set that holds addresses, either as a deny-list (a rule with action Block whose statement
#   is an `ip_set_reference_statement`, alone or inside an and/or statement) or as an allow-list (a rule with
#   action Allow on an IP set while the ACL's `default_action` is Block, or a Block rule on
#   `not_statement { ip_set_reference_statement }`). The referenced `aws_wafv2_ip_set` (matched by ARN) must
#   have a non-empty `addresses` list: an empty set, or a set missing from the inventory, filters nothing
#   and fails. A rule with action Count only records matches and does not filter.
# custom:
#   id: WAF-05
#   severity: medium
#   resource_types: [aws_wafv2_web_acl]
#   requires: [aws_wafv2_ip_set]
#   remediation: >-
#     Create an IP set with the addresses to block (`aws wafv2 create-ip-set --name blocked-ips --scope
#     REGIONAL --ip-address-version IPV4 --addresses 198.51.100.0/24`, or `aws_wafv2_ip_set` in Terraform) and
#     reference it from a rule with action Block: `rule { action { block {} } statement {
#     ip_set_reference_statement { arn = aws_wafv2_ip_set.blocked.arn } } ... }`. For an allow-list, use an
#     Allow rule on the set with `default_action { block {} }`. Keep the set populated (e.g. from threat
#     intelligence feeds) with `aws wafv2 update-ip-set`.
#   frameworks: {}
package aws.wafv2.ip_filtering

import rego.v1

import data.lib.aws
import data.lib.edge

# direct_refs(stmt) is the IP set ARNs a statement matches on: at its top level or inside and/or.
direct_refs(stmt) := {arn |
	some arn in top_refs(stmt)
} | {arn |
	some combinator in ["and_statement", "or_statement"]
	some inner in aws.blocks(aws.block(stmt, combinator), "statement")
	some arn in top_refs(inner)
}

top_refs(stmt) := {arn |
	arn := aws.block(stmt, "ip_set_reference_statement").arn
	is_string(arn)
}

# negated_refs(stmt) is the IP set ARNs a statement matches everything except.
negated_refs(stmt) := top_refs(aws.block(aws.block(stmt, "not_statement"), "statement"))

# filtering_refs(acl, r) is the IP sets rule r filters on with an enforcing action.
filtering_refs(acl, r) := block_refs(r) | allow_refs(acl, r)

# A Block rule filters a deny-list (direct match) or an allow-list (Block everything not in the set).
block_refs(r) := direct_refs(edge.statement(r)) | negated_refs(edge.statement(r)) if {
	edge.blocks(r)
} else := set()

# An Allow rule filters only when everything else meets the default action Block.
allow_refs(acl, r) := direct_refs(edge.statement(r)) if {
	edge.action_kind(r) == "allow"
	edge.default_action_kind(acl) == "block"
} else := set()

# ip_set_index maps each identifier of an IP set (id, ARN) to the set (built once per evaluation).
ip_set_index[x] contains s if {
	some s in aws.resources("aws_wafv2_ip_set")
	some x in edge.ids(s)
}

ip_sets(arn) := [s | some s in ip_set_index[arn]]

populated(arn) if {
	some s in ip_sets(arn)
	addresses := object.get(s.attributes, "addresses", null)
	is_array(addresses)
	count(addresses) > 0
}

filters(acl) if {
	some r in edge.acl_rules(acl)
	some arn in filtering_refs(acl, r)
	populated(arn)
}

ip_set_rules(acl) := [{
	"name": object.get(r, "name", null),
	"action": edge.action_kind(r),
	"ip_sets": [{"arn": arn, "addresses": address_count(arn)} | some arn in refs],
} |
	some r in edge.acl_rules(acl)
	refs := direct_refs(edge.statement(r)) | negated_refs(edge.statement(r))
	count(refs) > 0
]

address_count(arn) := count(s.attributes.addresses) if {
	some s in ip_sets(arn)
	is_array(s.attributes.addresses)
} else := null

deny contains finding if {
	some acl in aws.resources("aws_wafv2_web_acl")
	not filters(acl)
	rules := ip_set_rules(acl)
	finding := {
		"resource": acl.id,
		"message": message(acl, rules),
		"evidence": {"default_action": edge.default_action_kind(acl), "ip_set_rules": rules},
	}
}

message(acl, rules) := sprintf("WAF web ACL %s has no IP set rule, so it does no IP-based filtering", [aws.label(acl)]) if {
	count(rules) == 0
} else := sprintf(
	"WAF web ACL %s does not enforce a populated IP set (rules count only, or their IP sets are empty or unknown)",
	[aws.label(acl)],
)
