package aws.cloudfront.viewer_tls_test

import rego.v1

import data.aws.cloudfront.viewer_tls
import data.lib.testing

dist(id, vc) := testing.res("aws_cloudfront_distribution", id, {"viewer_certificate": [vc]})

acm := "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

test_acm_certificate_with_tls12_passes if {
	d := viewer_tls.deny with input as testing.inv([
		dist("a", {"cloudfront_default_certificate": false, "acm_certificate_arn": acm, "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"}),
		dist("b", {"acm_certificate_arn": acm, "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.3_2025"}),
	])
	count(d) == 0
}

# Trivy's weakness: the default certificate forces TLSv1 whatever minimum_protocol_version says.
test_default_certificate_fails if {
	d := viewer_tls.deny with input as testing.inv([
		dist("a", {"cloudfront_default_certificate": true, "minimum_protocol_version": "TLSv1"}),
		dist("b", {"cloudfront_default_certificate": true, "minimum_protocol_version": "TLSv1.2_2021"}),
		dist("c", {"acm_certificate_arn": acm, "minimum_protocol_version": "TLSv1.2_2021"}),
	])
	testing.ids(d) == {"a", "b"}
}

test_old_security_policy_fails if {
	d := viewer_tls.deny with input as testing.inv([
		dist("a", {"acm_certificate_arn": acm, "minimum_protocol_version": "TLSv1.2_2019"}),
		dist("b", {"acm_certificate_arn": acm, "minimum_protocol_version": "TLSv1.1_2016"}),
	])
	testing.ids(d) == {"a", "b"}
}

test_unknown_certificate_fails if {
	d := viewer_tls.deny with input as testing.inv([
		dist("a", {"acm_certificate_arn": acm}),
		testing.res("aws_cloudfront_distribution", "b", {}),
	])
	testing.ids(d) == {"a", "b"}
}

test_parameter_narrows_the_allowlist if {
	d := viewer_tls.deny with input as testing.inv([dist("a", {"acm_certificate_arn": acm, "minimum_protocol_version": "TLSv1.2_2021"})])
		with data.palisade.config.cloudfront_min_tls_policies as ["TLSv1.3_2025"]
	testing.ids(d) == {"a"}
}
