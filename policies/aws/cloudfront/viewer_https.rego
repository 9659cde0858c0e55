# METADATA
# title: CloudFront distributions require HTTPS on every cache behavior
# description: >-
#   The reference architecture serves the application through Amazon CloudFront with "HTTPS support with AWS
#   Certificate Manager". Viewers must reach every path over TLS: the default cache behavior and every
#   ordered cache behavior must use the viewer protocol policy redirect-to-https or https-only. A single
#   ordered behavior left at allow-all (for example /legacy/*) serves that path in cleartext even when the
#   default behavior redirects; tools that read only the default behavior miss it, palisade reads them all.
#   A distribution whose default cache behavior is not known fails.
# custom:
#   id: CF-01
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   remediation: >-
#     Set the viewer protocol policy of the default and of every ordered cache behavior to Redirect HTTP to
#     HTTPS (console: CloudFront > distribution > Behaviors > Edit > Viewer protocol policy). In Terraform set
#     `viewer_protocol_policy = "redirect-to-https"` (or "https-only") in `default_cache_behavior` and in every
#     `ordered_cache_behavior` of the `aws_cloudfront_distribution`. With the CLI, edit the config from
#     `aws cloudfront get-distribution-config --id <id>` and apply it with `aws cloudfront update-distribution`.
#   frameworks:
#     fsbp: [CloudFront.3]
#     nist-800-53-r5: [AC-4, AC-17(2), IA-5(1), SC-7(4), SC-8, SC-8(1), SC-8(2), SC-12(3), SC-13, SC-23, SC-23(3), SI-7(6)]
#     prowler: [cloudfront_distributions_https_enabled]
#     aws-config: [cloudfront-viewer-policy-https]
package aws.cloudfront.viewer_https

import rego.v1

import data.lib.aws

allowed := {"redirect-to-https", "https-only"}

# behaviors(d) lists every cache behavior with the path it serves ("default" for the default behavior).
behaviors(d) := array.concat(
	[{"path_pattern": "default", "viewer_protocol_policy": object.get(b, "viewer_protocol_policy", null)} |
		some b in aws.blocks(d.attributes, "default_cache_behavior")
	],
	[{"path_pattern": object.get(b, "path_pattern", null), "viewer_protocol_policy": object.get(b, "viewer_protocol_policy", null)} |
		some b in aws.blocks(d.attributes, "ordered_cache_behavior")
	],
)

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	count(aws.blocks(d.attributes, "default_cache_behavior")) == 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s has no known default cache behavior, so HTTPS enforcement cannot be confirmed", [aws.label(d)]),
		"evidence": {"default_cache_behavior": object.get(d.attributes, "default_cache_behavior", null)},
	}
}

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	count(aws.blocks(d.attributes, "default_cache_behavior")) > 0
	bad := [b | some b in behaviors(d); not b.viewer_protocol_policy in allowed]
	count(bad) > 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s serves cache behaviors %v without requiring HTTPS", [aws.label(d), [b.path_pattern | some b in bad]]),
		"evidence": {"behaviors_without_https": bad},
	}
}
