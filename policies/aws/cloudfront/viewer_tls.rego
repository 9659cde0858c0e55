# METADATA
# title: CloudFront distributions use their own certificate with a TLS 1.2+ security policy
# description: >-
#   The reference architecture terminates viewer HTTPS at CloudFront with a certificate from AWS Certificate
#   Manager. The distribution must not use the default *.cloudfront.net certificate, which forces the TLSv1
#   security policy (Trivy passes it; palisade fails it), and its minimum protocol version must be one of
#   the parameter `cloudfront_min_tls_policies` (the CloudFront security policies accepted, default the
#   TLS 1.2/1.3-only policies TLSv1.2_2021, TLSv1.2_2025 and TLSv1.3_2025). A distribution whose viewer
#   certificate is not known fails.
# custom:
#   id: CF-02
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   remediation: >-
#     Request or import a certificate in ACM in us-east-1 for the distribution's alternate domain name, then
#     edit the distribution (console: General > Settings > Edit > Custom SSL certificate, Security policy
#     TLSv1.2_2021 or newer). In Terraform set `viewer_certificate { acm_certificate_arn = <arn>
#     ssl_support_method = "sni-only" minimum_protocol_version = "TLSv1.2_2021" }` and remove
#     `cloudfront_default_certificate = true`.
#   frameworks:
#     fsbp: [CloudFront.15]
#   parameters:
#     cloudfront_min_tls_policies: ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"]
package aws.cloudfront.viewer_tls

import rego.v1

import data.lib.aws

policies := {x | some x in data.palisade.config.cloudfront_min_tls_policies}

unknown(vc) if count(object.keys(vc)) == 0

default_certificate(vc) if object.get(vc, "cloudfront_default_certificate", false) == true

weak_version(vc) if not object.get(vc, "minimum_protocol_version", null) in policies

problems(vc) := array.concat(
	array.concat(
		["it has no known viewer certificate" | unknown(vc)],
		["it uses the default CloudFront certificate, which forces TLSv1" | default_certificate(vc)],
	),
	[m |
		weak_version(vc)
		m := sprintf("its minimum protocol version %v is not one of %v", [object.get(vc, "minimum_protocol_version", null), sort(policies)])
	],
)

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	vc := aws.block(d.attributes, "viewer_certificate")
	ps := problems(vc)
	count(ps) > 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s does not enforce TLS 1.2 for viewers: %s", [aws.label(d), concat("; ", ps)]),
		"evidence": {
			"cloudfront_default_certificate": object.get(vc, "cloudfront_default_certificate", null),
			"minimum_protocol_version": object.get(vc, "minimum_protocol_version", null),
			"acm_certificate_arn": object.get(vc, "acm_certificate_arn", null),
		},
	}
}
