# METADATA
# title: ALB HTTPS listeners use a TLS 1.3 security policy
# description: >-
#   The reference architecture terminates TLS at the Application Load Balancer. Each HTTPS listener's
#   security policy must be one of the parameter `elbv2_allowed_ssl_policies` (the ELB security policies
#   accepted, default the TLS13 policies without legacy ciphers: the 2021-06 TLS 1.2/1.3 policies and their
#   FIPS 2023-04 and post-quantum 2025-09 variants). Listeners created by the CLI, CloudFormation or the
#   CDK without a policy get ELBSecurityPolicy-2016-08, which still allows TLS 1.0, TLS 1.1 and CBC/SHA1
#   ciphers. An HTTPS listener whose policy is not known fails.
# custom:
#   id: ALB-02
#   severity: high
#   resource_types: [aws_lb_listener]
#   remediation: >-
#     `aws elbv2 modify-listener --listener-arn <arn> --ssl-policy ELBSecurityPolicy-TLS13-1-2-Res-2021-06`
#     (or a PQ-2025-09 variant), or set `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"` on the
#     `aws_lb_listener` in Terraform (console: EC2 > Load balancers > Listeners > Edit > Security policy).
#   frameworks:
#     fsbp: [ELB.17]
#     nist-800-53-r5: [AC-4, AC-17(2), IA-5(1), SC-7(4), SC-8, SC-8(1), SC-8(2), SC-12(3), SC-13, SC-23, SC-23(3), SI-7(6)]
#     prowler: [elbv2_insecure_ssl_ciphers]
#   parameters:
#     elbv2_allowed_ssl_policies:
#       - ELBSecurityPolicy-TLS13-1-2-2021-06
#       - ELBSecurityPolicy-TLS13-1-2-Res-2021-06
#       - ELBSecurityPolicy-TLS13-1-3-2021-06
#       - ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04
#       - ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04
#       - ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04
#       - ELBSecurityPolicy-TLS13-1-2-PQ-2025-09
#       - ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09
#       - ELBSecurityPolicy-TLS13-1-3-PQ-2025-09
#       - ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09
#       - ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09
#       - ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09
package aws.elbv2.tls_policy

import rego.v1

import data.lib.aws

allowed := {p | some p in data.palisade.config.elbv2_allowed_ssl_policies}

deny contains finding if {
	some l in aws.resources("aws_lb_listener")
	object.get(l.attributes, "protocol", null) == "HTTPS"
	not object.get(l.attributes, "ssl_policy", null) in allowed
	finding := {
		"resource": l.id,
		"message": sprintf("HTTPS listener %s uses security policy %v, which is not an allowed TLS 1.3 policy", [aws.label(l), object.get(l.attributes, "ssl_policy", null)]),
		"evidence": {"protocol": "HTTPS", "ssl_policy": object.get(l.attributes, "ssl_policy", null)},
	}
}
