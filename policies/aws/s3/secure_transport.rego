# METADATA
# title: S3 bucket policies deny requests that do not use TLS
# description: >-
#   The reference architecture's S3 storage must be "secure": objects (static assets, logs) must never
#   travel in cleartext. Each bucket's policy must contain a statement with Effect Deny for every principal
#   ("*") and every S3 action ("s3:*" or "*") under the condition Bool aws:SecureTransport "false", so that
#   plain-HTTP requests are refused whoever makes them. A bucket without a policy in the inventory fails.
# custom:
#   id: S3-02
#   severity: medium
#   resource_types: [aws_s3_bucket]
#   requires: [aws_s3_bucket_policy]
#   remediation: >-
#     Add to the bucket policy (`aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json`,
#     Terraform `aws_s3_bucket_policy`) the statement `{"Sid": "DenyInsecureTransport", "Effect": "Deny",
#     "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::<bucket>", "arn:aws:s3:::<bucket>/*"],
#     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}`.
#   frameworks:
#     fsbp: [S3.5]
#     nist-800-53-r5: [AC-4, AC-17(2), IA-5(1), SC-7(4), SC-8, SC-8(1), SC-8(2), SC-12(3), SC-13, SC-23, SC-23(3), SI-7(6)]
#     cis-aws-v5: ["2.1.1"]
#     prowler: [s3_bucket_secure_transport_policy]
package aws.s3.secure_transport

import rego.v1

import data.lib.aws
import data.lib.delivery

everyone(p) if p == "*"

everyone(p) if "*" in aws.as_list(object.get(p, "AWS", null))

all_s3_actions(stmt) if {
	some a in aws.as_list(object.get(stmt, "Action", null))
	lower(a) in {"*", "s3:*"}
}

insecure_transport(stmt) if {
	some v in delivery.condition_values(stmt, ["bool", "boolifexists"], "aws:securetransport")
	lower(sprintf("%v", [v])) == "false"
}

denies_insecure_transport(stmt) if {
	stmt.Effect == "Deny"
	everyone(object.get(stmt, "Principal", null))
	all_s3_actions(stmt)
	insecure_transport(stmt)
}

compliant(b) if {
	some stmt in delivery.bucket_policy_statements(b.account, delivery.bucket_name(b))
	denies_insecure_transport(stmt)
}

deny contains finding if {
	some b in aws.resources("aws_s3_bucket")
	not compliant(b)
	has_policy := count(delivery.bucket_policies(b.account, delivery.bucket_name(b))) > 0
	finding := {
		"resource": b.id,
		"message": sprintf("S3 bucket %s does not deny requests made without TLS (aws:SecureTransport false)%s", [
			aws.label(b),
			{true: "", false: ": it has no bucket policy"}[has_policy],
		]),
		"evidence": {"has_bucket_policy": has_policy, "denies_insecure_transport": false},
	}
}
