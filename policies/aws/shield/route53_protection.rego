# METADATA
# title: Public Route 53 hosted zones are protected by Shield Advanced
# description: >-
#   Route 53 resolves the application's domain, the first hop of every request in the reference
#   architecture; a DNS flood against the zone takes the whole application offline even when CloudFront and
#   the load balancer are protected. A public hosted zone (`private_zone` not true; unknown counts as public)
#   passes when an `aws_shield_protection` of the same account has `resource_arn` equal to the zone's ARN
#   (`arn:aws:route53:::hostedzone/<id>`). Private zones are not reachable from the internet and pass.
# custom:
#   id: SHD-04
#   severity: medium
#   resource_types: [aws_route53_zone]
#   requires: [aws_shield_protection]
#   remediation: >-
#     With Shield Advanced active, `aws shield create-protection --name <name> --resource-arn
#     arn:aws:route53:::hostedzone/<zone id>`, or `aws_shield_protection { resource_arn =
#     "arn:aws:route53:::hostedzone/${aws_route53_zone.<name>.zone_id}" }` in Terraform; in the console, WAF &
#     Shield > AWS Shield > Protected resources > Add resources to protect (Route 53 hosted zone).
#   frameworks:
#     prowler: [shield_advanced_protection_in_route53_hosted_zones]
package aws.shield.route53_protection

import rego.v1

import data.lib.aws
import data.lib.edge

deny contains finding if {
	some z in aws.resources("aws_route53_zone")
	not object.get(z.attributes, "private_zone", false) == true
	count(edge.protections_for(z)) == 0
	finding := {
		"resource": z.id,
		"message": sprintf("Public Route 53 hosted zone %s is not protected by Shield Advanced", [aws.label(z)]),
		"evidence": {"private_zone": object.get(z.attributes, "private_zone", null), "shield_protections": []},
	}
}
