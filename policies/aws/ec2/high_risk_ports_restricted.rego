# METADATA
# title: Security groups do not open MySQL or other high-risk ports to the internet
# description: >-
#   In the reference architecture the RDS for MySQL database is reached only by the backend ECS service, and no
#   other data store, file transfer, mail or admin service is exposed. A security-group ingress permission that
#   admits one of the ports in the parameter `sg_high_risk_ports` (TCP port numbers; the default is MySQL 3306
#   plus the FSBP EC2.19 list: 20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 4333, 5000, 5432, 5500,
#   5601, 8080, 8088, 8888, 9200, 9300; SSH and RDP are SG-01 and SG-02) from 0.0.0.0/0 or ::/0 — TCP with a
#   range containing the port, or protocol "-1" — fails. Both aws_security_group and aws_default_security_group
#   are judged; an absent protocol or port bound is read as "all".
# custom:
#   id: SG-03
#   severity: high
#   resource_types: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Restrict the source to the security group of the client (for MySQL, the ECS service's group) or to a
#     private CIDR: `aws ec2 revoke-security-group-ingress --group-id <sg-id> --protocol tcp --port 3306
#     --cidr 0.0.0.0/0` then `aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp
#     --port 3306 --source-group <client-sg-id>`. In Terraform, replace `cidr_blocks = ["0.0.0.0/0"]` in the
#     `ingress` block with `security_groups = [aws_security_group.<client>.id]`.
#   frameworks:
#     fsbp: [EC2.19]
#     nist-800-53-r5: [AC-4, AC-4(21), CA-9(1), CM-2, CM-2(2), CM-7, SC-7, SC-7(4), SC-7(5), SC-7(11), SC-7(16), SC-7(21)]
#     prowler:
#       - ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306
#       - ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports
#   parameters:
#     sg_high_risk_ports: [3306, 20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300]
package aws.ec2.high_risk_ports_restricted

import rego.v1

import data.lib.aws
import data.lib.net

high_risk_ports := data.palisade.config.sg_high_risk_ports

offending(g) := [object.union(net.summary(p), {"high_risk_ports": sort(ports)}) |
	some p in net.ingress(g)
	net.open_to_internet(p)
	ports := net.ports_matching(p, high_risk_ports)
	count(ports) > 0
]

deny contains finding if {
	some g in net.groups
	bad := offending(g)
	count(bad) > 0
	ports := sort({q | some b in bad; some q in b.high_risk_ports})
	finding := {
		"resource": g.id,
		"message": sprintf("Security group %s opens high-risk port(s) %s to the internet", [aws.label(g), concat(", ", [sprintf("%v", [q]) | some q in ports])]),
		"evidence": {"ingress": bad},
	}
}
