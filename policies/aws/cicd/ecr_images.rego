# METADATA
# title: ECR repositories scan images on push and keep tags immutable
# description: >-
#   The reference architecture's build stage pushes the application's images to ECR, and the deploy stage
#   runs them on Fargate. Scanning on push finds known vulnerabilities in an image before it is deployed;
#   immutable tags make sure that the image a tag named when it was tested and scanned is the image that is
#   deployed, and that nobody can overwrite a released tag with another image. Judges every
#   aws_ecr_repository: image_scanning_configuration[0].scan_on_push must be true, or the registry's scanning
#   configuration (aws_ecr_registry_scanning_configuration of the same account and region) must have a rule
#   with scan_frequency SCAN_ON_PUSH or CONTINUOUS_SCAN whose repository_filter matches the repository's name
#   (BASIC or ENHANCED scanning); and image_tag_mutability must be IMMUTABLE (IMMUTABLE_WITH_EXCLUSION leaves
#   some tags mutable and fails). Unknown values fail. The repository's encryption_configuration is reported
#   as evidence.
# custom:
#   id: CICD-02
#   severity: medium
#   resource_types: [aws_ecr_repository]
#   requires: [aws_ecr_registry_scanning_configuration]
#   remediation: >-
#     `aws ecr put-image-tag-mutability --repository-name <name> --image-tag-mutability IMMUTABLE` and
#     `aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules
#     '[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]'`
#     (or, for basic scanning, `aws ecr put-image-scanning-configuration --repository-name <name>
#     --image-scanning-configuration scanOnPush=true`). In Terraform set `image_tag_mutability = "IMMUTABLE"`
#     and `image_scanning_configuration { scan_on_push = true }` on the `aws_ecr_repository`, or use an
#     `aws_ecr_registry_scanning_configuration`. Deploy by immutable version tags (or digests), not `latest`.
#   frameworks:
#     fsbp: [ECR.1, ECR.2]
#     prowler: [ecr_registry_scan_images_on_push_enabled, ecr_repositories_scan_images_on_push_enabled, ecr_repositories_tag_immutability]
#     aws-config: [ecr-private-image-scanning-enabled, ecr-private-tag-immutability-enabled]
package aws.cicd.ecr_images

import rego.v1

import data.lib.aws

repositories := aws.resources("aws_ecr_repository")

# registry_rules is every registry scanning rule that scans on push or continuously, keyed by
# "account|region" (built once per evaluation).
registry_rules[key] contains {"filters": filters, "scan_type": object.get(c.attributes, "scan_type", null)} if {
	some c in aws.resources("aws_ecr_registry_scanning_configuration")
	some r in aws.blocks(c.attributes, "rule")
	object.get(r, "scan_frequency", null) in {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}
	filters := [f.filter | some f in aws.blocks(r, "repository_filter"); is_string(f.filter)]
	key := concat("|", [c.account, c.region])
}

repo_name(r) := n if {
	n := object.get(r.attributes, "name", null)
	is_string(n)
} else := split(r.id, ":repository/")[1]

# WILDCARD filters: "*" matches any characters, including "." and "/" (a repository name never holds ":",
# the only delimiter given to glob.match).
filter_matches(filter, name) if glob.match(filter, [":"], name)

registry_scanned(r) if {
	some rule in registry_rules[concat("|", [r.account, r.region])]
	some f in rule.filters
	filter_matches(f, repo_name(r))
}

scan_on_push(r) := object.get(aws.block(r.attributes, "image_scanning_configuration"), "scan_on_push", null)

scanned(r) if scan_on_push(r) == true

scanned(r) if registry_scanned(r)

mutability(r) := object.get(r.attributes, "image_tag_mutability", null)

problem[r.id] contains "does not scan images on push (neither the repository nor the registry's scanning rules)" if {
	some r in repositories
	not scanned(r)
}

problem[r.id] contains msg if {
	some r in repositories
	mutability(r) != "IMMUTABLE"
	msg := mutability_message(mutability(r))
}

mutability_message(null) := "has unknown tag mutability"

mutability_message(m) := sprintf("has %v image tags, so a released tag can be overwritten", [m]) if m != null

deny contains finding if {
	some r in repositories
	msgs := problem[r.id]
	enc := aws.block(r.attributes, "encryption_configuration")
	finding := {
		"resource": r.id,
		"message": sprintf("ECR repository %s %s", [repo_name(r), concat("; ", sort(msgs))]),
		"evidence": {
			"scan_on_push": scan_on_push(r),
			"registry_scanning": registry_flag(r),
			"image_tag_mutability": mutability(r),
			"encryption_type": object.get(enc, "encryption_type", null),
			"kms_key": object.get(enc, "kms_key", null),
		},
	}
}

registry_flag(r) := true if {
	registry_scanned(r)
} else := false
