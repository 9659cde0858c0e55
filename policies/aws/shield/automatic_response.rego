# METADATA
# title: Shield Advanced protections of CloudFront and ALBs enable automatic application-layer DDoS mitigation
# description: >-
#   Against HTTP floods, the DDoS protection the reference architecture expects from AWS Shield needs Shield
#   Advanced's automatic application-layer DDoS mitigation: Shield writes and applies WAF rules in the
#   resource's web ACL while an attack lasts, without waiting for an operator. Every `aws_shield_protection`
#   of a CloudFront distribution or an Application Load Balancer passes when its
#   `application_layer_automatic_response_status` is ENABLED or an
#   `aws_shield_application_layer_automatic_response` (Terraform's separate resource) exists for the same
#   `resource_arn`; an unknown status fails. The protected resource must have a web ACL associated (WAF-01,
#   WAF-02) for the mitigation to be enabled. Protections of other resource types are not judged and pass.
# custom:
#   id: SHD-05
#   severity: medium
#   resource_types: [aws_shield_protection]
#   requires: [aws_shield_application_layer_automatic_response]
#   remediation: >-
#     `aws shield enable-application-layer-automatic-response --resource-arn <distribution or alb arn>
#     --action Block={}` (start with `Count={}` to observe), or in Terraform
#     `resource "aws_shield_application_layer_automatic_response" { resource_arn = <arn>, action = "BLOCK" }`;
#     in the console, WAF & Shield > AWS Shield > Protected resources > <resource> > Configure protections >
#     Automatic application layer DDoS mitigation: Enable.
#   frameworks: {}
package aws.shield.automatic_response

import rego.v1

import data.lib.aws
import data.lib.edge

l7_resource(arn) if edge.is_cloudfront_arn(arn)

l7_resource(arn) if edge.is_alb_arn(arn)

# alar_index holds the resource ARNs that have an aws_shield_application_layer_automatic_response (built
# once per evaluation).
alar_index contains arn if {
	some a in aws.resources("aws_shield_application_layer_automatic_response")
	arn := object.get(a.attributes, "resource_arn", null)
	is_string(arn)
}

enabled(p) if object.get(p.attributes, "application_layer_automatic_response_status", null) == "ENABLED"

enabled(p) if p.attributes.resource_arn in alar_index

deny contains finding if {
	some p in aws.resources("aws_shield_protection")
	arn := object.get(p.attributes, "resource_arn", null)
	is_string(arn)
	l7_resource(arn)
	not enabled(p)
	finding := {
		"resource": p.id,
		"message": sprintf("Shield Advanced protection %s of %s has automatic application-layer DDoS mitigation disabled", [aws.label(p), arn]),
		"evidence": {
			"resource_arn": arn,
			"application_layer_automatic_response_status": object.get(p.attributes, "application_layer_automatic_response_status", null),
		},
	}
}
