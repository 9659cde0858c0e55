# METADATA
# title: ALBs deliver access logs to S3
# description: >-
#   The reference architecture's monitoring calls for "centralized log collection" and "log retention and
#   archival". The Application Load Balancer must write access logs (access_logs.s3.enabled) so that every
#   request reaching the ECS services can be traced and investigated. Only application load balancers are
#   judged; logging that is not known to be enabled, or enabled without a bucket, fails.
# custom:
#   id: ALB-05
#   severity: medium
#   resource_types: [aws_lb]
#   remediation: >-
#     Create an S3 bucket whose policy lets the regional ELB service write to it, then `aws elbv2
#     modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=access_logs.s3.enabled,Value=true
#     Key=access_logs.s3.bucket,Value=<bucket>`, or add `access_logs { bucket = "<bucket>" enabled = true }` to
#     the `aws_lb` in Terraform.
#   frameworks:
#     fsbp: [ELB.5]
#     nist-800-53-r5: [AC-4(26), AU-2, AU-3, AU-6(3), AU-6(4), AU-10, AU-12, CA-7, SC-7(9), SI-7(8)]
#     prowler: [elbv2_logging_enabled]
package aws.elbv2.access_logs

import rego.v1

import data.lib.aws
import data.lib.delivery

logs(lb) if {
	cfg := aws.block(lb.attributes, "access_logs")
	cfg.enabled == true
	object.get(cfg, "bucket", "") != ""
}

deny contains finding if {
	some lb in delivery.albs
	not logs(lb)
	cfg := aws.block(lb.attributes, "access_logs")
	finding := {
		"resource": lb.id,
		"message": sprintf("Application Load Balancer %s does not deliver access logs to S3", [aws.label(lb)]),
		"evidence": {"access_logs_enabled": object.get(cfg, "enabled", null), "access_logs_bucket": object.get(cfg, "bucket", null)},
	}
}
