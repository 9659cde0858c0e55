# METADATA
# title: Security groups do not allow SSH (TCP 22) from the internet
# description: >-
#   The reference architecture runs its containers on ECS Fargate behind an Application Load Balancer, so no
#   host is administered over SSH from outside: traffic reaches the application only through CloudFront and the
#   ALB, and the database only from the ECS service. A security-group ingress permission that admits TCP port 22
#   (TCP with a port range containing 22, or protocol "-1", every protocol) from 0.0.0.0/0 or ::/0 exposes every
#   attached interface to brute-force and exploit attempts. Both aws_security_group and
#   aws_default_security_group are judged; an absent protocol or port bound is read as "all" (unknown is never
#   narrower than it might be).
# custom:
#   id: SG-01
#   severity: high
#   resource_types: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Remove the permission and reach hosts through AWS Systems Manager Session Manager or ECS Exec instead:
#     `aws ec2 revoke-security-group-ingress --group-id <sg-id> --protocol tcp --port 22 --cidr 0.0.0.0/0`
#     (and `--ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=::/0}]'` for IPv6).
#     In Terraform, delete the `ingress` block (or aws_vpc_security_group_ingress_rule) that opens port 22 to
#     0.0.0.0/0 or ::/0, or restrict its `cidr_blocks` to a bastion or VPN range.
#   frameworks:
#     fsbp: [EC2.13]
#     nist-800-53-r5: [AC-4, AC-4(21), CM-7, SC-7, SC-7(4), SC-7(5), SC-7(11), SC-7(16), SC-7(21)]
#     cis-aws-v5: ["5.3", "5.4"]
#     prowler: [ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22]
#     aws-config: [restricted-ssh]
package aws.ec2.ssh_restricted

import rego.v1

import data.lib.aws
import data.lib.net

offending(g) := [net.summary(p) |
	some p in net.ingress(g)
	net.open_to_internet(p)
	net.covers_port(p, 22)
]

deny contains finding if {
	some g in net.groups
	bad := offending(g)
	count(bad) > 0
	finding := {
		"resource": g.id,
		"message": sprintf("Security group %s allows SSH (TCP 22) from the internet", [aws.label(g)]),
		"evidence": {"ingress": bad},
	}
}
