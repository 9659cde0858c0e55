# METADATA
# title: X-Ray encrypts traces with a KMS key
# description: >-
#   X-Ray traces of the reference application carry request URLs, headers, SQL statements and error
#   details. By default X-Ray encrypts them with a key AWS owns, so access to the traces cannot be governed,
#   audited or revoked through a KMS key policy. Judges each aws_xray_encryption_config (one per account and
#   region; the live collector records the region's setting, also when it is the default NONE): type must be
#   KMS (key_id names the key). An absent type is unknown and fails.
# custom:
#   id: XR-02
#   severity: low
#   resource_types: [aws_xray_encryption_config]
#   remediation: >-
#     `aws xray put-encryption-config --type KMS --key-id alias/xray` (the key policy must let X-Ray use the
#     key), or `aws_xray_encryption_config { type = "KMS" key_id = aws_kms_key.xray.arn }` in Terraform.
#   frameworks: {}
package aws.xray.encryption

import rego.v1

import data.lib.aws

deny contains finding if {
	some c in aws.resources("aws_xray_encryption_config")
	t := object.get(c.attributes, "type", null)
	t != "KMS"
	finding := {
		"resource": c.id,
		"message": message(c, t),
		"evidence": {"type": t, "key_id": object.get(c.attributes, "key_id", null)},
	}
}

message(c, null) := sprintf("X-Ray encryption in %s is unknown", [c.region])

message(c, t) := sprintf("X-Ray in %s encrypts traces with an AWS-owned key (type %v), not a KMS key", [c.region, t]) if t != null
