package aws.ec2.ssh_restricted_test

import rego.v1

import data.aws.ec2.ssh_restricted
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

tcp(from, to, cidrs) := {"protocol": "tcp", "from_port": from, "to_port": to, "cidr_blocks": cidrs}

test_ssh_from_vpn_range_passes if {
	d := ssh_restricted.deny with input as testing.inv([sg("a", [tcp(22, 22, ["10.8.0.0/16"]), tcp(443, 443, ["0.0.0.0/0"])])])
	count(d) == 0
}

test_ssh_from_internet_fails if {
	d := ssh_restricted.deny with input as testing.inv([
		sg("a", [tcp(22, 22, ["0.0.0.0/0"])]),
		sg("b", [tcp(443, 443, ["0.0.0.0/0"])]),
	])
	testing.ids(d) == {"a"}
}

test_port_range_containing_22_fails if {
	d := ssh_restricted.deny with input as testing.inv([sg("a", [tcp(20, 25, ["0.0.0.0/0"])])])
	testing.ids(d) == {"a"}
}

test_ipv6_anywhere_fails if {
	d := ssh_restricted.deny with input as testing.inv([sg("a", [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": [], "ipv6_cidr_blocks": ["::/0"]}])])
	testing.ids(d) == {"a"}
}

test_all_protocols_fails if {
	d := ssh_restricted.deny with input as testing.inv([sg("a", [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}])])
	testing.ids(d) == {"a"}
}

test_udp_22_is_not_ssh if {
	d := ssh_restricted.deny with input as testing.inv([sg("a", [{"protocol": "udp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}])])
	count(d) == 0
}

test_unknown_ports_fail if {
	d := ssh_restricted.deny with input as testing.inv([sg("a", [{"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}])])
	testing.ids(d) == {"a"}
}

test_default_group_type_is_judged if {
	g := testing.res("aws_default_security_group", "d", {"id": "d", "ingress": [tcp(22, 22, ["0.0.0.0/0"])]})
	d := ssh_restricted.deny with input as testing.inv([g])
	testing.ids(d) == {"d"}
}
