package aws.ec2.rdp_restricted_test

import rego.v1

import data.aws.ec2.rdp_restricted
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

tcp(from, to, cidrs) := {"protocol": "tcp", "from_port": from, "to_port": to, "cidr_blocks": cidrs}

test_rdp_from_private_range_passes if {
	d := rdp_restricted.deny with input as testing.inv([sg("a", [tcp(3389, 3389, ["10.0.0.0/8"]), tcp(443, 443, ["0.0.0.0/0"])])])
	count(d) == 0
}

test_rdp_from_internet_fails if {
	d := rdp_restricted.deny with input as testing.inv([
		sg("a", [tcp(3389, 3389, ["0.0.0.0/0"])]),
		sg("b", [tcp(22, 22, ["10.0.0.0/8"])]),
	])
	testing.ids(d) == {"a"}
}

test_range_and_protocol_number_fail if {
	d := rdp_restricted.deny with input as testing.inv([
		sg("a", [{"protocol": "6", "from_port": 3000, "to_port": 4000, "ipv6_cidr_blocks": ["::/0"]}]),
		sg("b", [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]),
	])
	testing.ids(d) == {"a", "b"}
}

test_prefix_list_source_passes if {
	d := rdp_restricted.deny with input as testing.inv([sg("a", [{"protocol": "tcp", "from_port": 3389, "to_port": 3389, "prefix_list_ids": ["pl-0123456789abcdef0"]}])])
	count(d) == 0
}
