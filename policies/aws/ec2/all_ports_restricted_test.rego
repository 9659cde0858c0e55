package aws.ec2.all_ports_restricted_test

import rego.v1

import data.aws.ec2.all_ports_restricted
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

test_single_port_and_internal_all_traffic_pass if {
	d := all_ports_restricted.deny with input as testing.inv([sg("a", [
		{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
		{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["10.0.0.0/16"], "self": true},
	])])
	count(d) == 0
}

test_all_protocols_from_internet_fails if {
	d := all_ports_restricted.deny with input as testing.inv([
		sg("a", [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]),
		sg("b", [{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}]),
	])
	testing.ids(d) == {"a"}
}

test_full_tcp_and_udp_ranges_fail if {
	d := all_ports_restricted.deny with input as testing.inv([
		sg("a", [{"protocol": "tcp", "from_port": 0, "to_port": 65535, "cidr_blocks": ["0.0.0.0/0"]}]),
		sg("b", [{"protocol": "udp", "from_port": 1, "to_port": 65535, "ipv6_cidr_blocks": ["::/0"]}]),
		sg("c", [{"protocol": "tcp", "from_port": 1024, "to_port": 65535, "cidr_blocks": ["0.0.0.0/0"]}]),
	])
	testing.ids(d) == {"a", "b"}
}

test_absent_protocol_is_unknown_and_fails if {
	d := all_ports_restricted.deny with input as testing.inv([sg("a", [{"cidr_blocks": ["0.0.0.0/0"]}])])
	testing.ids(d) == {"a"}
}
