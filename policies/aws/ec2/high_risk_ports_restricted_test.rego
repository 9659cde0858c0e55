package aws.ec2.high_risk_ports_restricted_test

import rego.v1

import data.aws.ec2.high_risk_ports_restricted
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

tcp(from, to, cidrs) := {"protocol": "tcp", "from_port": from, "to_port": to, "cidr_blocks": cidrs}

test_mysql_from_group_passes if {
	d := high_risk_ports_restricted.deny with input as testing.inv([sg("a", [{"protocol": "tcp", "from_port": 3306, "to_port": 3306, "security_groups": ["sg-1"]}, tcp(443, 443, ["0.0.0.0/0"])])])
	count(d) == 0
}

test_mysql_from_internet_fails if {
	d := high_risk_ports_restricted.deny with input as testing.inv([sg("a", [tcp(3306, 3306, ["0.0.0.0/0"])]), sg("b", [tcp(3306, 3306, ["10.0.0.0/16"])])])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.ingress[0].high_risk_ports == [3306]
}

test_ec2_19_port_fails if {
	d := high_risk_ports_restricted.deny with input as testing.inv([sg("a", [tcp(8080, 8080, ["0.0.0.0/0"])]), sg("b", [{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "ipv6_cidr_blocks": ["::/0"]}])])
	testing.ids(d) == {"a", "b"}
}

test_parameter_narrows_the_list if {
	d := high_risk_ports_restricted.deny with input as testing.inv([sg("a", [tcp(8080, 8080, ["0.0.0.0/0"])]), sg("b", [tcp(3306, 3306, ["0.0.0.0/0"])])])
		with data.palisade.config.sg_high_risk_ports as [3306]
	testing.ids(d) == {"b"}
}

test_all_protocols_fail if {
	d := high_risk_ports_restricted.deny with input as testing.inv([sg("a", [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}])])
	testing.ids(d) == {"a"}
}
