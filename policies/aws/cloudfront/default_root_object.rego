# METADATA
# title: CloudFront distributions set a default root object and point only at existing buckets
# description: >-
#   The reference architecture hosts the React frontend's static assets in S3 behind CloudFront. A
#   distribution must set a default root object (for example index.html), otherwise a request for the bare
#   domain is passed to the origin and can list or expose content the application never meant to serve.
#   And every S3 origin must name a bucket that exists in the account: a distribution pointing at a deleted
#   bucket lets anyone who re-creates that bucket name serve content under the application's domain. A
#   bucket that is not an aws_s3_bucket of the same account in the inventory fails as not found.
# custom:
#   id: CF-06
#   severity: medium
#   resource_types: [aws_cloudfront_distribution]
#   requires: [aws_s3_bucket]
#   remediation: >-
#     Set the default root object (console: CloudFront > distribution > General > Settings > Edit > Default
#     root object "index.html"; Terraform `default_root_object = "index.html"`; CLI `aws cloudfront
#     update-distribution` with DefaultRootObject in the config). Remove origins whose bucket no longer
#     exists, or re-create the bucket in your own account before someone else claims the name.
#   frameworks:
#     fsbp: [CloudFront.1, CloudFront.12]
#     nist-800-53-r5: [CM-2, CM-2(2), SC-7(11), SC-7(16)]
#     prowler: [cloudfront_distributions_default_root_object, cloudfront_distributions_s3_origin_non_existent_bucket]
package aws.cloudfront.default_root_object

import rego.v1

import data.lib.aws
import data.lib.delivery

# bucket_index holds "account|bucket name" for every bucket (built once per evaluation).
bucket_index contains key if {
	some b in aws.resources("aws_s3_bucket")
	key := concat("|", [b.account, delivery.bucket_name(b)])
}

bucket_exists(account, name) if concat("|", [account, name]) in bucket_index

missing_buckets(d) := [delivery.origin_bucket(o) |
	some o in delivery.s3_origins(d)
	not bucket_exists(d.account, delivery.origin_bucket(o))
]

problems(d) := array.concat(
	["it has no default root object" | object.get(d.attributes, "default_root_object", "") == ""],
	[sprintf("S3 origin bucket %s was not found in account %s", [b, d.account]) | some b in missing_buckets(d)],
)

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	ps := problems(d)
	count(ps) > 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s: %s", [aws.label(d), concat("; ", ps)]),
		"evidence": {
			"default_root_object": object.get(d.attributes, "default_root_object", null),
			"missing_origin_buckets": missing_buckets(d),
		},
	}
}
