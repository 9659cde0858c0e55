# METADATA
# title: Internet-facing Application Load Balancers are protected by Shield Advanced
# description: >-
#   The reference architecture relies on AWS Shield for DDoS protection; the Application Load Balancer is
#   the application's regional entry point and, when internet-facing, can be attacked directly, bypassing
#   CloudFront. An internet-facing ALB (`internal` not true; an unknown value counts as internet-facing, the
#   Terraform default) passes when an `aws_shield_protection` of the same account has `resource_arn` equal
#   to the load balancer's ARN. Internal load balancers, and network or gateway load balancers, are not
#   judged and pass; an unknown `load_balancer_type` is judged as application (the Terraform default).
# custom:
#   id: SHD-03
#   severity: high
#   resource_types: [aws_lb]
#   requires: [aws_shield_protection]
#   remediation: >-
#     With Shield Advanced active, `aws shield create-protection --name <name> --resource-arn <alb arn>`, or
#     `aws_shield_protection { resource_arn = aws_lb.<name>.arn }` in Terraform; in the console, WAF & Shield
#     > AWS Shield > Protected resources > Add resources to protect (Application Load Balancer).
#   frameworks:
#     prowler: [shield_advanced_protection_in_internet_facing_load_balancers]
package aws.shield.alb_protection

import rego.v1

import data.lib.aws
import data.lib.edge

deny contains finding if {
	some lb in aws.resources("aws_lb")
	edge.application_lb(lb)
	not object.get(lb.attributes, "internal", false) == true
	count(edge.protections_for(lb)) == 0
	finding := {
		"resource": lb.id,
		"message": sprintf("Internet-facing Application Load Balancer %s is not protected by Shield Advanced", [aws.label(lb)]),
		"evidence": {"internal": object.get(lb.attributes, "internal", null), "shield_protections": []},
	}
}
