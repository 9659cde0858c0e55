# METADATA
# title: CloudFront distributions are protected by Shield Advanced
# description: >-
#   The reference architecture relies on CloudFront and AWS Shield for protection against DDoS attacks. A
#   Shield Advanced protection on the distribution adds DDoS detection tuned to its traffic, cost protection
#   for scaling during an attack, Shield Response Team support and automatic application-layer mitigation.
#   A distribution passes when an `aws_shield_protection` of the same account has `resource_arn` equal to
#   the distribution's ARN (`shield:ListProtections`). Without a Shield Advanced subscription no protection
#   can exist, so every distribution fails (see SHD-01).
# custom:
#   id: SHD-02
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   requires: [aws_shield_protection]
#   remediation: >-
#     With Shield Advanced active, `aws shield create-protection --name <name> --resource-arn
#     arn:aws:cloudfront::<account>:distribution/<id>`, or `aws_shield_protection { resource_arn =
#     aws_cloudfront_distribution.<name>.arn }` in Terraform; in the console, WAF & Shield > AWS Shield >
#     Protected resources > Add resources to protect.
#   frameworks:
#     prowler: [shield_advanced_protection_in_cloudfront_distributions]
#     aws-config: [fms-shield-resource-policy-check]
package aws.shield.cloudfront_protection

import rego.v1

import data.lib.aws
import data.lib.edge

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	count(edge.protections_for(d)) == 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s is not protected by Shield Advanced", [aws.label(d)]),
		"evidence": {"shield_protections": []},
	}
}
