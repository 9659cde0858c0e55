# METADATA
# title: Security groups do not allow RDP (TCP 3389) from the internet
# description: >-
#   The reference architecture has no Windows hosts to administer: the application runs on ECS Fargate behind
#   CloudFront and an Application Load Balancer. A security-group ingress permission that admits TCP port 3389
#   (TCP with a port range containing 3389, or protocol "-1", every protocol) from 0.0.0.0/0 or ::/0 exposes
#   Remote Desktop to credential stuffing and exploits. Both aws_security_group and aws_default_security_group
#   are judged; an absent protocol or port bound is read as "all".
# custom:
#   id: SG-02
#   severity: high
#   resource_types: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Remove the permission and use Systems Manager Fleet Manager or a VPN for remote administration:
#     `aws ec2 revoke-security-group-ingress --group-id <sg-id> --protocol tcp --port 3389 --cidr 0.0.0.0/0`
#     (and the `::/0` permission with `--ip-permissions`). In Terraform, delete the `ingress` block that opens
#     port 3389 to 0.0.0.0/0 or ::/0, or restrict its `cidr_blocks` to a VPN range.
#   frameworks:
#     fsbp: [EC2.14]
#     cis-aws-v5: ["5.3", "5.4"]
#     prowler: [ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389]
package aws.ec2.rdp_restricted

import rego.v1

import data.lib.aws
import data.lib.net

offending(g) := [net.summary(p) |
	some p in net.ingress(g)
	net.open_to_internet(p)
	net.covers_port(p, 3389)
]

deny contains finding if {
	some g in net.groups
	bad := offending(g)
	count(bad) > 0
	finding := {
		"resource": g.id,
		"message": sprintf("Security group %s allows RDP (TCP 3389) from the internet", [aws.label(g)]),
		"evidence": {"ingress": bad},
	}
}
