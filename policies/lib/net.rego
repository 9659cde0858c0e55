# Helpers shared by the security-group rules (SG-01 … SG-08): which groups exist, which permissions are open
# to the internet and which ports a permission covers. A permission is one element of a group's `ingress[]`
# or `egress[]` block ({from_port, to_port, protocol, cidr_blocks, ipv6_cidr_blocks, prefix_list_ids,
# security_groups, self, description}). Absent fields are unknown and are read so that they never make a
# permission look narrower than it might be.
package lib.net

import rego.v1

import data.lib.aws

# The inventory types that hold security groups (Terraform models a VPC's default group separately).
sg_types := ["aws_security_group", "aws_default_security_group"]

# groups is every security group of the inventory, of either type.
groups := [g | some t in sg_types; some g in aws.resources(t)]

# group_id(g) is the sg-… id of a group (Terraform's `id`).
group_id(g) := object.get(g.attributes, "id", null)

# group_index is every group keyed by "account|region|sg-id" (built once per evaluation, so that a lookup
# does not scan every group).
group_index[key] contains g if {
	some g in groups
	sg := group_id(g)
	is_string(sg)
	key := concat("|", [g.account, g.region, sg])
}

# groups_with_id(owner, sg) is the list of groups with sg-… id sg in the account and region of the resource
# owner (one element when the group is in the inventory, none when it is not).
groups_with_id(owner, sg) := [g | some g in group_index[concat("|", [owner.account, owner.region, sg])]] if {
	is_string(sg)
} else := []

# is_default_group(g) holds for the default group of a VPC.
is_default_group(g) if g.type == "aws_default_security_group"

is_default_group(g) if object.get(g.attributes, "is_default", false) == true

is_default_group(g) if object.get(g.attributes, "name", g.name) == "default"

# ingress(g) / egress(g) are the permission lists of a group ([] when absent; callers that must tell
# "absent" from "empty" read the attribute themselves).
ingress(g) := aws.as_list(object.get(g.attributes, "ingress", []))

egress(g) := aws.as_list(object.get(g.attributes, "egress", []))

# list(perm, k) is the list field k of a permission ([] when absent).
list(perm, k) := aws.as_list(object.get(perm, k, []))

# open_to_internet(perm) holds when the permission admits any IPv4 or IPv6 address.
open_to_internet(perm) if "0.0.0.0/0" in list(perm, "cidr_blocks")

open_to_internet(perm) if "::/0" in list(perm, "ipv6_cidr_blocks")

# internet_sources(perm) is the subset of the permission's CIDRs that mean "anywhere" (for evidence).
internet_sources(perm) := [c | some c in array.concat(list(perm, "cidr_blocks"), list(perm, "ipv6_cidr_blocks")); c in {"0.0.0.0/0", "::/0"}]

# protocol(perm) is the permission's protocol, lower-case; an absent protocol is unknown and read as "-1"
# (every protocol), so that it never narrows the permission.
protocol(perm) := lower(sprintf("%v", [perm.protocol])) if {
	perm.protocol != null
} else := "-1"

all_protocols(perm) if protocol(perm) in {"-1", "all"}

is_tcp(perm) if protocol(perm) in {"tcp", "6"}

is_udp(perm) if protocol(perm) in {"udp", "17"}

# ICMP carries no ports (from_port/to_port are the ICMP type and code).
is_icmp(perm) if protocol(perm) in {"icmp", "1", "icmpv6", "58"}

# port range of a permission; absent bounds are unknown and widen the range.
from_port(perm) := p if {
	p := perm.from_port
	is_number(p)
} else := 0

to_port(perm) := p if {
	p := perm.to_port
	is_number(p)
	p >= 0
} else := 65535

# covers_port(perm, port) holds when the permission admits TCP traffic to port: every protocol ("-1"/"all",
# for which Terraform records from_port 0 and to_port 0), or TCP with from_port ≤ port ≤ to_port.
covers_port(perm, port) if all_protocols(perm)

covers_port(perm, port) if {
	is_tcp(perm)
	from_port(perm) <= port
	port <= to_port(perm)
}

# all_ports(perm) holds when the permission admits every port: every protocol, or TCP/UDP over the whole
# range (0–65535; 1–65535 is the same in practice since port 0 is reserved).
all_ports(perm) if all_protocols(perm)

all_ports(perm) if {
	is_tcp_or_udp(perm)
	from_port(perm) <= 1
	to_port(perm) >= 65535
}

is_tcp_or_udp(perm) if is_tcp(perm)

is_tcp_or_udp(perm) if is_udp(perm)

# ports_within(perm, allowed) holds when every port the permission admits is in the list allowed: a TCP or
# UDP range all of whose ports are listed (counted, so that 0–65535 is never enumerated). Every-protocol and
# other port-less protocols (except ICMP, which callers handle) are never within a port list.
ports_within(perm, allowed) if {
	is_tcp_or_udp(perm)
	lo := from_port(perm)
	hi := to_port(perm)
	lo <= hi
	count({p | some p in allowed; lo <= p; p <= hi}) == (hi - lo) + 1
}

# ports_matching(perm, ports) is the set of ports in the list ports that the permission covers (TCP).
# The protocol and the bounds are read once per permission, not once per port.
ports_matching(perm, ports) := {p | some p in ports} if {
	all_protocols(perm)
} else := {p |
	is_tcp(perm)
	lo := from_port(perm)
	hi := to_port(perm)
	some p in ports
	lo <= p
	p <= hi
}

# summary(perm) is a small description of a permission for evidence.
summary(perm) := {
	"protocol": object.get(perm, "protocol", null),
	"from_port": object.get(perm, "from_port", null),
	"to_port": object.get(perm, "to_port", null),
	"cidr_blocks": list(perm, "cidr_blocks"),
	"ipv6_cidr_blocks": list(perm, "ipv6_cidr_blocks"),
	"prefix_list_ids": list(perm, "prefix_list_ids"),
	"security_groups": list(perm, "security_groups"),
	"self": object.get(perm, "self", false),
}
