# METADATA
# title: CloudFront distributions log viewer requests
# description: >-
#   The reference architecture's monitoring calls for "centralized log collection" and "log retention and
#   archival". A CloudFront distribution must deliver its access logs: either legacy standard logging to an
#   S3 bucket (logging_config with a bucket) or standard logging v2 through a CloudWatch Logs delivery
#   (standard_logging_v2_enabled). Without them there is no record of the requests that reached the edge,
#   which incident response and the WAF tuning of the architecture rely on. Unknown logging state fails.
# custom:
#   id: CF-05
#   severity: medium
#   resource_types: [aws_cloudfront_distribution]
#   remediation: >-
#     Enable standard logging (console: CloudFront > distribution > Logging > Add / Standard log destination,
#     to S3, CloudWatch Logs or Firehose). In Terraform add `logging_config { bucket =
#     "<logs-bucket>.s3.amazonaws.com" prefix = "cloudfront/" }` to the `aws_cloudfront_distribution` (the
#     bucket needs ACLs enabled), or configure v2 logging with `aws_cloudwatch_log_delivery_source` /
#     `aws_cloudwatch_log_delivery` for the distribution.
#   frameworks:
#     fsbp: [CloudFront.5]
#     nist-800-53-r5: [AC-2(4), AC-4(26), AC-6(9), AU-2, AU-3, AU-6(3), AU-6(4), AU-10, AU-12, CA-7, SC-7(9), SI-3(8), SI-4(20), SI-7(8)]
#     prowler: [cloudfront_distributions_logging_enabled]
package aws.cloudfront.logging

import rego.v1

import data.lib.aws

logs(d) if object.get(aws.block(d.attributes, "logging_config"), "bucket", "") != ""

logs(d) if object.get(d.attributes, "standard_logging_v2_enabled", false) == true

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	not logs(d)
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s has no access logging to S3 or standard logging v2", [aws.label(d)]),
		"evidence": {
			"logging_bucket": object.get(aws.block(d.attributes, "logging_config"), "bucket", null),
			"standard_logging_v2_enabled": object.get(d.attributes, "standard_logging_v2_enabled", null),
		},
	}
}
