# METADATA
# title: Security groups do not open all ports to the internet
# description: >-
#   The reference architecture exposes nothing but the application's HTTPS entry point (CloudFront in front of
#   the Application Load Balancer); every other tier is reached only from the tier in front of it. An ingress
#   permission with protocol "-1" (every protocol and port) or TCP/UDP over the whole port range (0–65535, or
#   1–65535) from 0.0.0.0/0 or ::/0 removes the network boundary entirely. Both aws_security_group and
#   aws_default_security_group are judged; an absent protocol or port bound is read as "all".
# custom:
#   id: SG-04
#   severity: critical
#   resource_types: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Replace the permission with permissions for the specific ports the workload serves:
#     `aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions
#     'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'` (and `Ipv6Ranges=[{CidrIpv6=::/0}]`), then authorize only
#     e.g. TCP 443. In Terraform, remove the `ingress` block with `protocol = "-1"` (or `from_port = 0`,
#     `to_port = 65535`) and `cidr_blocks = ["0.0.0.0/0"]`.
#   frameworks:
#     fsbp: [EC2.18, EC2.19]
#     nist-800-53-r5: [AC-4, AC-4(21), CA-9(1), CM-2, CM-2(2), CM-7, SC-7, SC-7(4), SC-7(5), SC-7(11), SC-7(16), SC-7(21)]
#     prowler: [ec2_securitygroup_allow_ingress_from_internet_to_all_ports]
package aws.ec2.all_ports_restricted

import rego.v1

import data.lib.aws
import data.lib.net

offending(g) := [net.summary(p) |
	some p in net.ingress(g)
	net.open_to_internet(p)
	net.all_ports(p)
]

deny contains finding if {
	some g in net.groups
	bad := offending(g)
	count(bad) > 0
	finding := {
		"resource": g.id,
		"message": sprintf("Security group %s allows every port from the internet", [aws.label(g)]),
		"evidence": {"ingress": bad},
	}
}
