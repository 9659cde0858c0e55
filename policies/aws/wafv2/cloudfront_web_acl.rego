# METADATA
# title: CloudFront distributions are protected by an AWS WAF (WAFv2) web ACL
# description: >-
#   The reference architecture puts AWS WAF in front of the application ("protection against common web
#   exploits, IP-based filtering, rate limiting") and CloudFront is its first entry point, so every
#   distribution must carry a WAFv2 web ACL: `web_acl_id` must be a WAFv2 ARN (`arn:aws:wafv2:...`).
#   An empty value means no filtering at the edge; a bare id is an AWS WAF Classic web ACL, which has been
#   end-of-life since 2025 and lacks the managed rule groups the other WAF checks require. An unknown
#   (absent) `web_acl_id` fails.
# custom:
#   id: WAF-01
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   remediation: >-
#     Create a web ACL with scope CLOUDFRONT in us-east-1 and attach it: in Terraform set
#     `web_acl_id = aws_wafv2_web_acl.<name>.arn` on the `aws_cloudfront_distribution`; with the CLI, put the
#     ACL ARN in `DistributionConfig.WebACLId` (`aws cloudfront get-distribution-config --id <id>`, edit,
#     `aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://cfg.json`);
#     or in the console, Distribution > Security > Edit > enable AWS WAF protections. Migrate WAF Classic
#     ACLs to WAFv2 first.
#   frameworks:
#     fsbp: [CloudFront.6]
#     nist-800-53-r5: [AC-4(21)]
#     prowler: [cloudfront_distributions_using_waf]
#     aws-config: [cloudfront-associated-with-waf]
package aws.wafv2.cloudfront_web_acl

import rego.v1

import data.lib.aws

wafv2_arn(v) if {
	is_string(v)
	startswith(v, "arn:aws:wafv2:")
}

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	acl := object.get(d.attributes, "web_acl_id", null)
	not wafv2_arn(acl)
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s is not protected by a WAFv2 web ACL (%s)", [aws.label(d), reason(acl)]),
		"evidence": {"web_acl_id": acl},
	}
}

reason(v) := "no web ACL" if {
	v == ""
} else := "WAF Classic web ACL" if {
	is_string(v)
	not startswith(v, "arn:")
} else := "not a WAFv2 ARN" if {
	is_string(v)
} else := "web_acl_id unknown"
