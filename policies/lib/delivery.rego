# Helpers shared by the delivery rules (CloudFront, ELBv2, S3, IAM): S3 origins of a distribution,
# bucket policies, application load balancers.
package lib.delivery

import rego.v1

import data.lib.aws

# The S3 REST endpoint suffix of an origin domain name: <bucket>.s3.amazonaws.com,
# <bucket>.s3.<region>.amazonaws.com, <bucket>.s3-<region>.amazonaws.com (legacy), dual-stack and China.
# Website endpoints (<bucket>.s3-website-<region>...) are custom origins and do not match.
s3_suffix := `\.s3(\.dualstack)?([.-][a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+)?\.amazonaws\.com(\.cn)?$`

# is_s3_origin(o) holds for an origin served from an S3 REST endpoint (no custom origin config).
is_s3_origin(o) if {
	count(aws.blocks(o, "custom_origin_config")) == 0
	regex.match(s3_suffix, object.get(o, "domain_name", ""))
}

# origin_bucket(o) is the bucket name of an S3 origin.
origin_bucket(o) := regex.replace(o.domain_name, s3_suffix, "")

# s3_origins(d) is the list of S3 origins of distribution d.
s3_origins(d) := [o | some o in aws.blocks(d.attributes, "origin"); is_s3_origin(o)]

# custom_origins(d) is the list of origins of d that have a custom origin config.
custom_origins(d) := [o | some o in aws.blocks(d.attributes, "origin"); count(aws.blocks(o, "custom_origin_config")) > 0]

# bucket_name(b) is the name of an aws_s3_bucket.
bucket_name(b) := object.get(b.attributes, "bucket", b.name)

# bucket_policy_index is every aws_s3_bucket_policy keyed by "account|bucket" (built once per evaluation).
bucket_policy_index[key] contains p if {
	some p in aws.resources("aws_s3_bucket_policy")
	name := object.get(p.attributes, "bucket", null)
	is_string(name)
	key := concat("|", [p.account, name])
}

# bucket_policies(account, name) are the aws_s3_bucket_policy resources of bucket name in account.
bucket_policies(account, name) := [p | some p in bucket_policy_index[concat("|", [account, name])]] if {
	is_string(name)
} else := []

# bucket_policy_statements(account, name) are the statements of that bucket's policy ([] when none).
bucket_policy_statements(account, name) := [s |
	some p in bucket_policies(account, name)
	some s in aws.policy_statements(object.get(p.attributes, "policy", "{}"))
]

# condition_values(stmt, ops, key) is the set of values the statement's Condition gives key (lower case)
# under any of the operators ops (lower case); operators and keys are compared case-insensitively, as IAM does.
condition_values(stmt, ops, key) := {v |
	some op, block in object.get(stmt, "Condition", {})
	lower(op) in ops
	is_object(block)
	some k, val in block
	lower(k) == key
	some v in aws.as_list(val)
}

# is_alb(lb) holds for an application load balancer (Terraform's default type when the attribute is absent).
is_alb(lb) if object.get(lb.attributes, "load_balancer_type", "application") == "application"

albs := [lb | some lb in aws.resources("aws_lb"); is_alb(lb)]
