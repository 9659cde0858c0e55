# METADATA
# title: The default security group of every VPC has no rules
# description: >-
#   Every resource of the reference architecture (ALB, ECS tasks, RDS) has its own purpose-built security
#   group, so a VPC's default group should admit nothing: a resource launched without an explicit group lands in
#   it, and its stock rules (all traffic from members of the group, all traffic out) silently connect unrelated
#   resources and let them reach the internet. The default group — every aws_default_security_group, and every
#   aws_security_group with `is_default` true or named "default" — must have no `ingress` and no `egress`
#   permissions. Absent rule lists are unknown and fail.
# custom:
#   id: SG-08
#   severity: high
#   resource_types: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Remove every rule from the default group: `aws ec2 revoke-security-group-ingress --group-id <sg-id>
#     --ip-permissions "$(aws ec2 describe-security-groups --group-ids <sg-id> --query
#     'SecurityGroups[0].IpPermissions')"` and the same with `revoke-security-group-egress` and
#     `IpPermissionsEgress`, after moving any resource still using it to a dedicated group. In Terraform, declare
#     `resource "aws_default_security_group" "default" { vpc_id = aws_vpc.main.id }` with no `ingress` or
#     `egress` blocks: Terraform then deletes the default rules.
#   frameworks:
#     fsbp: [EC2.2]
#     nist-800-53-r5: [AC-4, AC-4(21), SC-7, SC-7(4), SC-7(5), SC-7(11), SC-7(16), SC-7(21)]
#     cis-aws-v5: ["5.5"]
#     prowler: [ec2_securitygroup_default_restrict_traffic]
#     aws-config: [vpc-default-security-group-closed]
package aws.ec2.default_group_closed

import rego.v1

import data.lib.aws
import data.lib.net

rules_of(g, k) := aws.as_list(v) if {
	v := object.get(g.attributes, k, null)
	v != null
}

# open(g, k) holds when the rule list k of g is non-empty or unknown.
open(g, k) if count(rules_of(g, k)) > 0

open(g, k) if not rules_of(g, k)

deny contains finding if {
	some g in net.groups
	net.is_default_group(g)
	some k in ["ingress", "egress"]
	open(g, k)
	finding := {
		"resource": g.id,
		"message": sprintf("Default security group %s (%v) of VPC %v still has ingress or egress rules, or they are unknown", [aws.label(g), object.get(g.attributes, "id", g.id), object.get(g.attributes, "vpc_id", "unknown")]),
		"evidence": {
			"ingress": [net.summary(p) | some p in net.ingress(g)],
			"egress": [net.summary(p) | some p in net.egress(g)],
			"ingress_known": is_array(object.get(g.attributes, "ingress", null)),
			"egress_known": is_array(object.get(g.attributes, "egress", null)),
		},
	}
}
