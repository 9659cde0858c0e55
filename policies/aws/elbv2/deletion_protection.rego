# METADATA
# title: ALBs have deletion protection enabled
# description: >-
#   The Application Load Balancer is the single entry point of the reference architecture's ECS services
#   ("health checks and automatic failover"); deleting it by mistake takes the whole application offline and
#   changes its DNS name. deletion_protection.enabled must be true on every application load balancer; an
#   unknown setting fails.
# custom:
#   id: ALB-04
#   severity: medium
#   resource_types: [aws_lb]
#   remediation: >-
#     `aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes
#     Key=deletion_protection.enabled,Value=true`, or `enable_deletion_protection = true` on the `aws_lb` in
#     Terraform (console: Load balancer > Attributes > Deletion protection).
#   frameworks:
#     fsbp: [ELB.6]
#     nist-800-53-r5: [CA-9(1), CM-2, CM-2(2), CM-3, SC-5(2)]
#     prowler: [elbv2_deletion_protection]
package aws.elbv2.deletion_protection

import rego.v1

import data.lib.aws
import data.lib.delivery

deny contains finding if {
	some lb in delivery.albs
	not object.get(lb.attributes, "enable_deletion_protection", null) == true
	finding := {
		"resource": lb.id,
		"message": sprintf("Application Load Balancer %s does not have deletion protection enabled", [aws.label(lb)]),
		"evidence": {"enable_deletion_protection": object.get(lb.attributes, "enable_deletion_protection", null)},
	}
}
