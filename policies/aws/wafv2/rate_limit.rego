# METADATA
# title: WAF web ACLs block clients that exceed a per-IP rate limit
# description: >-
#   The reference architecture uses AWS WAF for "rate limiting to prevent abuse". A web ACL passes when it
#   has a rate-based rule that (a) aggregates by client address (`aggregate_key_type` IP, or FORWARDED_IP
#   behind a proxy), (b) allows at most `waf_rate_limit_max` requests per client per 5 minutes, and (c) has
#   the action Block. A rule whose action is Count only records offenders and does not enforce the limit.
#   `limit` counts requests per `evaluation_window_sec` (60 to 600 s, AWS default 300); it is scaled to a
#   5-minute window before it is compared with the parameter (a 60-second window with limit 500 equals 2500
#   per 5 minutes). A missing limit or key type fails. Rate rules hidden in rule groups are not visible and
#   do not count.
#   Parameter `waf_rate_limit_max` (default 2000): the highest per-client request count per 5 minutes a
#   rate-based rule may allow before blocking.
# custom:
#   id: WAF-04
#   severity: high
#   resource_types: [aws_wafv2_web_acl]
#   remediation: >-
#     Add a rate-based rule with action Block: in Terraform, `rule { name = "rate-limit-per-ip" priority = 1
#     action { block {} } statement { rate_based_statement { limit = 2000 aggregate_key_type = "IP"
#     evaluation_window_sec = 300 } } visibility_config { ... } }` in the `aws_wafv2_web_acl`; in the console,
#     WAF & Shield > Web ACLs > <acl> > Rules > Add my own rules > Rate-based rule; or with
#     `aws wafv2 update-web-acl ... --rules file://rules.json`. Switch existing Count rate rules to Block once
#     the limit is tuned.
#   frameworks: {}
#   parameters:
#     waf_rate_limit_max: 2000
package aws.wafv2.rate_limit

import rego.v1

import data.lib.aws
import data.lib.edge

max_limit := data.palisade.config.waf_rate_limit_max

rate_rules(acl) := [r |
	some r in edge.acl_rules(acl)
	edge.present(edge.statement(r), "rate_based_statement")
]

window(rs) := w if {
	w := rs.evaluation_window_sec
	is_number(w)
	w > 0
} else := 300

# per_five_minutes(rs) is the rule's limit scaled to a 300-second window.
per_five_minutes(rs) := (rs.limit * 300) / window(rs) if is_number(rs.limit)

effective(r) if {
	rs := aws.block(edge.statement(r), "rate_based_statement")
	per_five_minutes(rs) <= max_limit
	rs.aggregate_key_type in {"IP", "FORWARDED_IP"}
	edge.blocks(r)
}

deny contains finding if {
	some acl in aws.resources("aws_wafv2_web_acl")
	not any_effective(acl)
	finding := {
		"resource": acl.id,
		"message": message(acl),
		"evidence": {
			"waf_rate_limit_max": max_limit,
			"rate_based_rules": [summary(r) | some r in rate_rules(acl)],
		},
	}
}

any_effective(acl) if {
	some r in edge.acl_rules(acl)
	effective(r)
}

summary(r) := {
	"name": object.get(r, "name", null),
	"action": edge.action_kind(r),
	"limit": object.get(rs, "limit", null),
	"aggregate_key_type": object.get(rs, "aggregate_key_type", null),
	"evaluation_window_sec": object.get(rs, "evaluation_window_sec", null),
} if {
	rs := aws.block(edge.statement(r), "rate_based_statement")
}

message(acl) := sprintf("WAF web ACL %s has no rate-based rule", [aws.label(acl)]) if {
	count(rate_rules(acl)) == 0
} else := sprintf(
	"WAF web ACL %s has no rate-based rule that blocks a client IP above %v requests per 5 minutes",
	[aws.label(acl), max_limit],
)
