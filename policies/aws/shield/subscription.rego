# METADATA
# title: Shield Advanced is subscribed and set to renew automatically
# description: >-
#   The reference architecture relies on AWS Shield for DDoS protection. Shield Standard is automatic and
#   cannot be checked; the resource-level protections, the Shield Response Team and automatic
#   application-layer mitigation need a Shield Advanced subscription. The account passes when `subscription_state` is
#   ACTIVE and `auto_renew` is ENABLED (a subscription that does not renew lapses at the end of its one-year
#   term and silently removes every protection). An account without Shield Advanced FAILS here (the
#   collector records its subscription as INACTIVE), where Prowler reports nothing at all. Evidence also
#   records proactive engagement, whether the Shield Response Team has a role (DRT access) and how many
#   emergency contacts are set; the contacts themselves are not reported.
# custom:
#   id: SHD-01
#   severity: high
#   resource_types: [aws_shield_subscription]
#   remediation: >-
#     Subscribe in the console (WAF & Shield > AWS Shield > Subscribe to Shield Advanced) or with `aws shield
#     create-subscription`, or `aws_shield_subscription { auto_renew = "ENABLED" }` in Terraform; turn renewal
#     on with `aws shield update-subscription --auto-renew ENABLED`. Then grant the Shield Response Team access
#     (`aws shield associate-drt-role --role-arn <role>`) and set emergency contacts with proactive engagement
#     (`aws shield update-emergency-contact-settings`, `aws shield enable-proactive-engagement`).
#   frameworks:
#     aws-config: [shield-advanced-enabled-autorenew, shield-drt-access]
package aws.shield.subscription

import rego.v1

import data.lib.aws

problems(s) := {p |
	not object.get(s.attributes, "subscription_state", null) == "ACTIVE"
	p := "Shield Advanced is not active"
} | {p |
	not object.get(s.attributes, "auto_renew", null) == "ENABLED"
	p := "automatic renewal is not enabled"
}

deny contains finding if {
	some s in aws.resources("aws_shield_subscription")
	ps := problems(s)
	count(ps) > 0
	finding := {
		"resource": s.id,
		"message": sprintf("Shield Advanced subscription of account %s falls short: %s", [s.account, concat("; ", sort(ps))]),
		"evidence": {
			"subscription_state": object.get(s.attributes, "subscription_state", null),
			"auto_renew": object.get(s.attributes, "auto_renew", null),
			"proactive_engagement_status": object.get(s.attributes, "proactive_engagement_status", null),
			"drt_role_arn": object.get(s.attributes, "drt_role_arn", null),
			"emergency_contacts": contact_count(s),
		},
	}
}

contact_count(s) := count(c) if {
	c := object.get(s.attributes, "emergency_contacts", null)
	is_array(c)
} else := null
