# METADATA
# title: ALBs drop invalid HTTP header fields
# description: >-
#   The Application Load Balancer of the reference architecture routes requests to the ECS frontend and
#   backend. With routing.http.drop_invalid_header_fields.enabled the ALB removes headers whose names are
#   not valid HTTP, which closes a class of request-smuggling and header-injection tricks against the
#   targets. Only application load balancers are judged; an unknown setting fails.
# custom:
#   id: ALB-03
#   severity: medium
#   resource_types: [aws_lb]
#   remediation: >-
#     `aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes
#     Key=routing.http.drop_invalid_header_fields.enabled,Value=true`, or `drop_invalid_header_fields = true`
#     on the `aws_lb` in Terraform (console: Load balancer > Attributes > Drop invalid header fields).
#   frameworks:
#     fsbp: [ELB.4]
#     nist-800-53-r5: [SC-7(4), SC-8(2)]
#     prowler: [elbv2_alb_drop_invalid_header_fields_enabled]
package aws.elbv2.drop_invalid_headers

import rego.v1

import data.lib.aws
import data.lib.delivery

deny contains finding if {
	some lb in delivery.albs
	not object.get(lb.attributes, "drop_invalid_header_fields", null) == true
	finding := {
		"resource": lb.id,
		"message": sprintf("Application Load Balancer %s does not drop invalid HTTP header fields", [aws.label(lb)]),
		"evidence": {"drop_invalid_header_fields": object.get(lb.attributes, "drop_invalid_header_fields", null)},
	}
}
