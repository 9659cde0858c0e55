# METADATA
# title: CloudFront S3 origins use Origin Access Control and the bucket admits only that distribution
# description: >-
#   The reference architecture stores the frontend's static assets in Amazon S3 behind CloudFront. The bucket
#   must be reachable only through the distribution: every S3 origin (domain <bucket>.s3.amazonaws.com or
#   <bucket>.s3.<region>.amazonaws.com, no custom origin config) must set an Origin Access Control and no
#   legacy Origin Access Identity, and the bucket's policy must allow the service principal
#   cloudfront.amazonaws.com with the condition AWS:SourceArn equal to this distribution's ARN. Without that
#   condition any CloudFront distribution, of any account, can read the bucket. A bucket whose policy is not
#   in the inventory fails (the grant cannot be confirmed).
# custom:
#   id: CF-03
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   requires: [aws_s3_bucket_policy]
#   remediation: >-
#     Create an Origin Access Control (`aws cloudfront create-origin-access-control` or Terraform
#     `aws_cloudfront_origin_access_control` with `origin_access_control_origin_type = "s3"`, signing
#     behavior "always", protocol "sigv4"), set `origin_access_control_id` on the S3 origin and remove the
#     `s3_origin_config` origin access identity. Then grant the distribution in the bucket policy: a statement
#     with `"Principal": {"Service": "cloudfront.amazonaws.com"}`, `"Action": "s3:GetObject"`, the bucket's
#     objects as Resource and `"Condition": {"StringEquals": {"AWS:SourceArn": "<distribution ARN>"}}`
#     (`aws s3api put-bucket-policy`), and remove the statement for the OAI.
#   frameworks:
#     fsbp: [CloudFront.13]
#     prowler: [cloudfront_distributions_s3_origin_access_control]
package aws.cloudfront.s3_origin_access

import rego.v1

import data.lib.aws
import data.lib.delivery

source_arn_ops := ["stringequals", "arnequals", "stringlike", "arnlike"]

# grants(stmt, dist_arn) holds when stmt allows CloudFront with AWS:SourceArn equal to the distribution.
grants(stmt, dist_arn) if {
	stmt.Effect == "Allow"
	"cloudfront.amazonaws.com" in aws.as_list(object.get(object.get(stmt, "Principal", {}), "Service", null))
	dist_arn in delivery.condition_values(stmt, source_arn_ops, "aws:sourcearn")
}

bucket_grants(d, bucket) if {
	some stmt in delivery.bucket_policy_statements(d.account, bucket)
	grants(stmt, d.id)
}

origin_problems(d, o) := array.concat(
	array.concat(
		["it has no Origin Access Control" | object.get(o, "origin_access_control_id", "") == ""],
		["it still uses an Origin Access Identity" | oai(o) != ""],
	),
	array.concat(
		["the bucket has no policy in the inventory" | count(delivery.bucket_policies(d.account, delivery.origin_bucket(o))) == 0],
		[m |
			count(delivery.bucket_policies(d.account, delivery.origin_bucket(o))) > 0
			not bucket_grants(d, delivery.origin_bucket(o))
			m := "the bucket policy does not allow cloudfront.amazonaws.com with AWS:SourceArn equal to this distribution"
		],
	),
)

oai(o) := object.get(aws.block(o, "s3_origin_config"), "origin_access_identity", "")

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	bad := [{"origin_id": object.get(o, "origin_id", null), "bucket": delivery.origin_bucket(o), "problems": ps} |
		some o in delivery.s3_origins(d)
		ps := origin_problems(d, o)
		count(ps) > 0
	]
	count(bad) > 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s has S3 origins not locked to it: %s", [
			aws.label(d),
			concat("; ", [sprintf("%v (bucket %s): %s", [b.origin_id, b.bucket, concat(", ", b.problems)]) | some b in bad]),
		]),
		"evidence": {"s3_origins": [{
			"origin_id": object.get(o, "origin_id", null),
			"bucket": delivery.origin_bucket(o),
			"origin_access_control_id": object.get(o, "origin_access_control_id", null),
			"origin_access_identity": oai(o),
			"bucket_policy_grants_distribution": bucket_grants_bool(d, delivery.origin_bucket(o)),
		} |
			some o in delivery.s3_origins(d)
		]},
	}
}

bucket_grants_bool(d, bucket) := true if {
	bucket_grants(d, bucket)
} else := false
