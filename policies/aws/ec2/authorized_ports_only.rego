# METADATA
# title: Only authorized ports are open to the internet
# description: >-
#   In the reference architecture the only public entry point is the web application itself (HTTP redirected to
#   HTTPS, and HTTPS). Every ingress permission from 0.0.0.0/0 or ::/0 must admit only TCP or UDP ports listed in
#   the parameter `sg_authorized_ports` (port numbers; default [80, 443]): a port range fails unless every port
#   in it is listed, protocol "-1" (all traffic) and other port-less protocols always fail; ICMP is not judged.
#   Both aws_security_group and aws_default_security_group are judged; an absent protocol or port bound is read
#   as "all".
# custom:
#   id: SG-05
#   severity: high
#   resource_types: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Remove internet-wide permissions for other ports (`aws ec2 revoke-security-group-ingress --group-id
#     <sg-id> --protocol tcp --port <port> --cidr 0.0.0.0/0`) and reach such services privately (VPN, Session
#     Manager, security-group references). In Terraform, restrict `cidr_blocks` of those `ingress` blocks or
#     delete them. If a port is legitimately public, add it to `sg_authorized_ports` in palisade.toml.
#   frameworks:
#     fsbp: [EC2.18]
#     nist-800-53-r5: [AC-4, AC-4(21), SC-7, SC-7(4), SC-7(5), SC-7(11), SC-7(16), SC-7(21)]
#     prowler: [ec2_securitygroup_allow_ingress_from_internet_to_any_port]
#     aws-config: [vpc-sg-open-only-to-authorized-ports]
#   parameters:
#     sg_authorized_ports: [80, 443]
package aws.ec2.authorized_ports_only

import rego.v1

import data.lib.aws
import data.lib.net

authorized := data.palisade.config.sg_authorized_ports

offending(g) := [net.summary(p) |
	some p in net.ingress(g)
	net.open_to_internet(p)
	not net.is_icmp(p)
	not net.ports_within(p, authorized)
]

deny contains finding if {
	some g in net.groups
	bad := offending(g)
	count(bad) > 0
	finding := {
		"resource": g.id,
		"message": sprintf("Security group %s opens ports other than the authorized ones (%s) to the internet", [aws.label(g), concat(", ", [sprintf("%v", [p]) | some p in authorized])]),
		"evidence": {"ingress": bad, "authorized_ports": authorized},
	}
}
