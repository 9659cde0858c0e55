package aws.ec2.authorized_ports_only_test

import rego.v1

import data.aws.ec2.authorized_ports_only
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

tcp(from, to, cidrs) := {"protocol": "tcp", "from_port": from, "to_port": to, "cidr_blocks": cidrs}

test_web_ports_pass if {
	d := authorized_ports_only.deny with input as testing.inv([sg("a", [
		tcp(80, 80, ["0.0.0.0/0"]),
		tcp(443, 443, ["0.0.0.0/0"]),
		tcp(22, 22, ["10.0.0.0/8"]),
		{"protocol": "icmp", "from_port": 8, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]},
	])])
	count(d) == 0
}

test_other_port_from_internet_fails if {
	d := authorized_ports_only.deny with input as testing.inv([
		sg("a", [tcp(8080, 8080, ["0.0.0.0/0"])]),
		sg("b", [tcp(443, 443, ["0.0.0.0/0"])]),
	])
	testing.ids(d) == {"a"}
}

test_range_spanning_authorized_ports_fails if {
	d := authorized_ports_only.deny with input as testing.inv([sg("a", [tcp(80, 443, ["0.0.0.0/0"])])])
	testing.ids(d) == {"a"}
}

test_all_traffic_and_unknown_ports_fail if {
	d := authorized_ports_only.deny with input as testing.inv([
		sg("a", [{"protocol": "-1", "from_port": 0, "to_port": 0, "ipv6_cidr_blocks": ["::/0"]}]),
		sg("b", [{"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]),
	])
	testing.ids(d) == {"a", "b"}
}

test_parameter_extends_the_list if {
	d := authorized_ports_only.deny with input as testing.inv([sg("a", [tcp(8443, 8443, ["0.0.0.0/0"])])])
		with data.palisade.config.sg_authorized_ports as [443, 8443]
	count(d) == 0
}
