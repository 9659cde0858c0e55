package aws.xray.encryption_test

import rego.v1

import data.aws.xray.encryption as rule
import data.lib.testing

config(id, attrs) := testing.res("aws_xray_encryption_config", id, attrs)

test_kms_passes if {
	d := rule.deny with input as testing.inv([config("a", {"type": "KMS", "key_id": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"})])
	count(d) == 0
}

test_default_encryption_fails if {
	d := rule.deny with input as testing.inv([config("a", {"type": "NONE"}), config("b", {"type": "KMS"})])
	testing.ids(d) == {"a"}
}

test_unknown_type_fails if {
	d := rule.deny with input as testing.inv([config("a", {})])
	testing.ids(d) == {"a"}
}
