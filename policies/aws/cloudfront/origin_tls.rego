# METADATA
# title: CloudFront custom origins are reached over HTTPS with TLS 1.2 only
# description: >-
#   In the reference architecture CloudFront forwards dynamic requests to the Application Load Balancer, which
#   does "SSL/TLS termination". The hop from the edge to the origin must stay encrypted: every custom origin
#   must use the origin protocol policy https-only, and its origin SSL protocols must all be in the parameter
#   `cloudfront_origin_ssl_protocols` (the protocols CloudFront may offer the origin, default ["TLSv1.2"]),
#   so that no SSLv3, TLSv1 or TLSv1.1 handshake is possible. http-only and match-viewer send requests in
#   cleartext. An origin whose protocol policy or SSL protocols are not known fails.
# custom:
#   id: CF-04
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   remediation: >-
#     Edit each custom origin (console: CloudFront > distribution > Origins > Edit): Protocol HTTPS only,
#     Minimum origin SSL protocol TLSv1.2. In Terraform set `custom_origin_config { origin_protocol_policy =
#     "https-only" origin_ssl_protocols = ["TLSv1.2"] ... }` on every custom `origin`, and give the origin (the
#     ALB) an HTTPS listener with a certificate for the origin domain name.
#   frameworks:
#     fsbp: [CloudFront.9, CloudFront.10]
#     nist-800-53-r5: [AC-4, AC-17(2), IA-5(1), SC-7(4), SC-8, SC-8(1), SC-8(2), SC-12(3), SC-13, SC-23, SC-23(3), SI-7(6)]
#     prowler: [cloudfront_distributions_origin_traffic_encrypted, cloudfront_distributions_using_deprecated_ssl_protocols]
#   parameters:
#     cloudfront_origin_ssl_protocols: ["TLSv1.2"]
package aws.cloudfront.origin_tls

import rego.v1

import data.lib.aws
import data.lib.delivery

allowed_protocols := {p | some p in data.palisade.config.cloudfront_origin_ssl_protocols}

problems(c) := array.concat(
	[sprintf("origin protocol policy %v is not https-only", [object.get(c, "origin_protocol_policy", null)]) |
		object.get(c, "origin_protocol_policy", null) != "https-only"
	],
	[m |
		protocols := aws.as_list(object.get(c, "origin_ssl_protocols", null))
		weak_or_unknown(protocols)
		m := sprintf("origin SSL protocols %v are not a non-empty subset of %v", [protocols, sort(allowed_protocols)])
	],
)

weak_or_unknown(protocols) if count(protocols) == 0

weak_or_unknown(protocols) if {
	some p in protocols
	not p in allowed_protocols
}

deny contains finding if {
	some d in aws.resources("aws_cloudfront_distribution")
	origins := delivery.custom_origins(d)
	bad := [{"origin_id": object.get(o, "origin_id", null), "problems": ps} |
		some o in origins
		ps := problems(aws.block(o, "custom_origin_config"))
		count(ps) > 0
	]
	count(bad) > 0
	finding := {
		"resource": d.id,
		"message": sprintf("CloudFront distribution %s reaches custom origins without enforced TLS 1.2: %s", [
			aws.label(d),
			concat("; ", [sprintf("%v: %s", [b.origin_id, concat(", ", b.problems)]) | some b in bad]),
		]),
		"evidence": {"custom_origins": [{
			"origin_id": object.get(o, "origin_id", null),
			"domain_name": object.get(o, "domain_name", null),
			"origin_protocol_policy": object.get(c, "origin_protocol_policy", null),
			"origin_ssl_protocols": object.get(c, "origin_ssl_protocols", null),
		} |
			some o in origins
			c := aws.block(o, "custom_origin_config")
		]},
	}
}
