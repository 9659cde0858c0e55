package aws.ec2.db_ingress_from_groups_only_test

import rego.v1

import data.aws.ec2.db_ingress_from_groups_only as rule
import data.lib.testing

sg(id, ingress) := testing.res("aws_security_group", id, {"id": id, "ingress": ingress})

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

from_group(port) := {"protocol": "tcp", "from_port": port, "to_port": port, "security_groups": ["sg-ecs"], "cidr_blocks": []}

from_cidr(port, cidr) := {"protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": [cidr]}

test_port_only_from_group_passes if {
	d := rule.deny with input as testing.inv([
		db("a", {"engine": "mysql", "port": 3306, "vpc_security_group_ids": ["sg-db"]}),
		sg("sg-db", [from_group(3306), from_cidr(22, "10.0.0.0/16")]),
	])
	count(d) == 0
}

test_port_from_cidr_fails if {
	d := rule.deny with input as testing.inv([
		db("a", {"engine": "mysql", "port": 3306, "vpc_security_group_ids": ["sg-ok", "sg-open"]}),
		db("b", {"engine": "mysql", "port": 3306, "vpc_security_group_ids": ["sg-ok"]}),
		sg("sg-ok", [from_group(3306)]),
		sg("sg-open", [from_cidr(3306, "0.0.0.0/0")]),
	])
	testing.ids(d) == {"a"}
	some f in d
	object.keys(f.evidence.exposed_security_groups) == {"sg-open"}
}

test_private_cidr_and_prefix_list_fail if {
	d := rule.deny with input as testing.inv([
		db("a", {"port": 5432, "vpc_security_group_ids": ["sg-a"]}),
		db("b", {"port": 3306, "vpc_security_group_ids": ["sg-b"]}),
		sg("sg-a", [from_cidr(5432, "10.0.0.0/16")]),
		sg("sg-b", [{"protocol": "-1", "from_port": 0, "to_port": 0, "prefix_list_ids": ["pl-1"]}]),
	])
	testing.ids(d) == {"a", "b"}
}

test_port_defaults_from_engine if {
	d := rule.deny with input as testing.inv([
		db("pg", {"engine": "postgres", "vpc_security_group_ids": ["sg-a"]}),
		db("my", {"engine": "mysql", "vpc_security_group_ids": ["sg-a"]}),
		sg("sg-a", [from_cidr(5432, "10.0.0.0/16")]),
	])
	testing.ids(d) == {"pg"}
}

test_group_missing_from_inventory_fails if {
	d := rule.deny with input as testing.inv([db("a", {"port": 3306, "vpc_security_group_ids": ["sg-unknown"]})])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "not in the inventory")
}

test_unknown_groups_fail if {
	d := rule.deny with input as testing.inv([db("a", {"port": 3306}), db("b", {"port": 3306, "vpc_security_group_ids": []})])
	testing.ids(d) == {"a", "b"}
}

test_default_group_type_is_found if {
	g := testing.res("aws_default_security_group", "sg-def", {"id": "sg-def", "ingress": [from_cidr(3306, "0.0.0.0/0")]})
	d := rule.deny with input as testing.inv([db("a", {"port": 3306, "vpc_security_group_ids": ["sg-def"]}), g])
	testing.ids(d) == {"a"}
	some f in d
	object.keys(f.evidence.exposed_security_groups) == {"sg-def"}
}
