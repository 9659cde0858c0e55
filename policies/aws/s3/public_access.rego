# METADATA
# title: S3 buckets are protected by Block Public Access and have no public policy
# description: >-
#   The reference architecture keeps the frontend's static assets in S3 and serves them only through
#   CloudFront ("secure and scalable file storage"). Every bucket must be covered by S3 Block Public Access
#   with all four settings on (block_public_acls, ignore_public_acls, block_public_policy,
#   restrict_public_buckets), either at the account level or on the bucket itself, and its bucket policy
#   must not be public (GetBucketPolicyStatus IsPublic). A block that is missing (not configured) or has
#   any setting off or unknown does not count; a block that could not be read makes the rule ERROR.
# custom:
#   id: S3-01
#   severity: high
#   resource_types: [aws_s3_bucket]
#   requires: [aws_s3_account_public_access_block, aws_s3_bucket_public_access_block]
#   remediation: >-
#     Turn on all four Block Public Access settings for the account (`aws s3control put-public-access-block
#     --account-id <account> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`;
#     Terraform `aws_s3_account_public_access_block`) or for the bucket (`aws s3api put-public-access-block
#     --bucket <bucket> ...`; Terraform `aws_s3_bucket_public_access_block`), and remove statements granting
#     `"Principal": "*"` from the bucket policy; serve public content through CloudFront with Origin Access
#     Control instead.
#   frameworks:
#     fsbp: [S3.1, S3.8]
#     nist-800-53-r5: [AC-3, AC-3(7), AC-4, AC-4(21), AC-6, AC-21, SC-7, SC-7(3), SC-7(4), SC-7(9), SC-7(11), SC-7(16), SC-7(20), SC-7(21)]
#     cis-aws-v5: ["2.1.4"]
#     prowler: [s3_account_level_public_access_blocks, s3_bucket_level_public_access_block]
package aws.s3.public_access

import rego.v1

import data.lib.aws
import data.lib.delivery

settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

all_on(blk) if {
	every k in settings {
		object.get(blk.attributes, k, null) == true
	}
}

# Public access blocks keyed by account, and by "account|bucket" (built once per evaluation).
account_block_index[account] contains blk if {
	some blk in aws.resources("aws_s3_account_public_access_block")
	account := object.get(blk.attributes, "account_id", blk.account)
}

bucket_block_index[key] contains blk if {
	some blk in aws.resources("aws_s3_bucket_public_access_block")
	name := object.get(blk.attributes, "bucket", null)
	is_string(name)
	key := concat("|", [blk.account, name])
}

account_blocks(b) := [blk | some blk in account_block_index[b.account]]

bucket_blocks(b) := [blk | some blk in bucket_block_index[concat("|", [b.account, delivery.bucket_name(b)])]]

blocked(b) if {
	some blk in account_blocks(b)
	all_on(blk)
}

blocked(b) if {
	some blk in bucket_blocks(b)
	all_on(blk)
}

block_values(blks) := [{k: object.get(blk.attributes, k, null) | some k in settings} | some blk in blks]

problems(b) := array.concat(
	["neither the account nor the bucket has all four Block Public Access settings on" | not blocked(b)],
	["its bucket policy is public" | object.get(b.attributes, "policy_is_public", null) == true],
)

deny contains finding if {
	some b in aws.resources("aws_s3_bucket")
	ps := problems(b)
	count(ps) > 0
	finding := {
		"resource": b.id,
		"message": sprintf("S3 bucket %s is not protected from public access: %s", [aws.label(b), concat("; ", ps)]),
		"evidence": {
			"account_public_access_block": block_values(account_blocks(b)),
			"bucket_public_access_block": block_values(bucket_blocks(b)),
			"policy_is_public": object.get(b.attributes, "policy_is_public", null),
		},
	}
}
