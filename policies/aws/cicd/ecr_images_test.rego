package aws.cicd.ecr_images_test

import rego.v1

import data.aws.cicd.ecr_images as rule
import data.lib.testing

repo(name, scan, mutability) := testing.res("aws_ecr_repository", sprintf("arn:aws:ecr:us-east-1:123456789012:repository/%s", [name]), {
	"name": name,
	"image_tag_mutability": mutability,
	"image_scanning_configuration": [{"scan_on_push": scan}],
	"encryption_configuration": [{"encryption_type": "KMS", "kms_key": "arn:aws:kms:us-east-1:123456789012:key/1"}],
})

registry(filter, frequency) := testing.res("aws_ecr_registry_scanning_configuration", "arn:aws:ecr:us-east-1:123456789012:registry/scanning-configuration", {
	"scan_type": "ENHANCED",
	"rule": [{"scan_frequency": frequency, "repository_filter": [{"filter": filter, "filter_type": "WILDCARD"}]}],
})

test_scanned_immutable_repository_passes if {
	d := rule.deny with input as testing.inv([repo("app-frontend", true, "IMMUTABLE")])
	count(d) == 0
}

test_registry_scanning_covers_the_repository if {
	d := rule.deny with input as testing.inv([repo("app/backend.v2", false, "IMMUTABLE"), repo("legacy-web", false, "IMMUTABLE"), registry("app/*", "CONTINUOUS_SCAN")])
	testing.ids(d) == {"arn:aws:ecr:us-east-1:123456789012:repository/legacy-web"}
}

test_mutable_or_unscanned_repository_fails if {
	d := rule.deny with input as testing.inv([
		repo("mutable", true, "MUTABLE"),
		repo("exclusions", true, "IMMUTABLE_WITH_EXCLUSION"),
		repo("unscanned", false, "IMMUTABLE"),
		repo("manual-registry", false, "IMMUTABLE"),
		registry("manual-*", "MANUAL"),
	])
	count(d) == 4
}

test_unknown_settings_fail if {
	d := rule.deny with input as testing.inv([testing.res("aws_ecr_repository", "r", {"name": "r"})])
	testing.ids(d) == {"r"}
}
