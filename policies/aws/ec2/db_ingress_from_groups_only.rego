# METADATA
# title: RDS security groups admit the database port only from security groups
# description: >-
#   In the reference architecture the RDS for MySQL database is reached only by the backend ECS Fargate
#   service: the database's security groups admit the database port only from the service's security group
#   (a group reference), never from an address range. For each aws_db_instance, every group in
#   `vpc_security_group_ids` is looked up among aws_security_group and aws_default_security_group (by `id`, in
#   the same account and region); an ingress permission that covers the instance's `port` (TCP range containing
#   it, or protocol "-1") with any `cidr_blocks`, `ipv6_cidr_blocks` or `prefix_list_ids` fails — even private
#   ranges, which admit every host of the subnet instead of the one service. When `port` is absent the engine's
#   default is used (3306 for MySQL/MariaDB/Aurora MySQL, 5432 PostgreSQL, 1521 Oracle, 1433 SQL Server).
#   An instance whose groups are unknown (attribute absent or empty), or whose group is not in the inventory,
#   fails: its exposure cannot be shown to be safe.
# custom:
#   id: SG-06
#   severity: high
#   resource_types: [aws_db_instance]
#   requires: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Replace address-range permissions on the database groups with a reference to the application's security
#     group: `aws ec2 authorize-security-group-ingress --group-id <db-sg> --protocol tcp --port 3306
#     --source-group <ecs-service-sg>` then `aws ec2 revoke-security-group-ingress --group-id <db-sg>
#     --protocol tcp --port 3306 --cidr <cidr>`. In Terraform, use `security_groups =
#     [aws_security_group.ecs_service.id]` (or aws_vpc_security_group_ingress_rule with
#     `referenced_security_group_id`) instead of `cidr_blocks` in the database group's `ingress` block.
#   frameworks: {}
package aws.ec2.db_ingress_from_groups_only

import rego.v1

import data.lib.aws
import data.lib.net

default_ports := {"mysql": 3306, "mariadb": 3306, "aurora": 3306, "aurora-mysql": 3306, "postgres": 5432, "aurora-postgresql": 5432, "sqlserver": 1433, "oracle": 1521, "db2": 50000}

db_port(db) := p if {
	p := object.get(db.attributes, "port", null)
	is_number(p)
} else := p if {
	engine := lower(object.get(db.attributes, "engine", ""))
	some prefix, p in default_ports
	startswith(engine, prefix)
	not longer_prefix(engine, prefix)
} else := 3306

longer_prefix(engine, prefix) if {
	some other, _ in default_ports
	other != prefix
	startswith(other, prefix)
	startswith(engine, other)
}

group_ids(db) := aws.as_list(object.get(db.attributes, "vpc_security_group_ids", null))

address_sourced(p) if count(net.list(p, "cidr_blocks")) > 0

address_sourced(p) if count(net.list(p, "ipv6_cidr_blocks")) > 0

address_sourced(p) if count(net.list(p, "prefix_list_ids")) > 0

offending(db, g) := [net.summary(p) |
	some p in net.ingress(g)
	net.covers_port(p, db_port(db))
	address_sourced(p)
]

missing(db) := [sg | some sg in group_ids(db); count(net.groups_with_id(db, sg)) == 0]

exposures(db) := {sg: bad |
	some sg in group_ids(db)
	some g in net.groups_with_id(db, sg)
	bad := offending(db, g)
	count(bad) > 0
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	count(group_ids(db)) == 0
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s has no known VPC security groups, so the sources that reach its port cannot be checked", [aws.label(db)]),
		"evidence": {"vpc_security_group_ids": object.get(db.attributes, "vpc_security_group_ids", null)},
	}
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	m := missing(db)
	count(m) > 0
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s uses security group(s) %s that are not in the inventory, so the sources that reach its port cannot be checked", [aws.label(db), concat(", ", m)]),
		"evidence": {"port": db_port(db), "missing_security_groups": m, "exposed_security_groups": exposures(db)},
	}
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	count(missing(db)) == 0
	e := exposures(db)
	count(e) > 0
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s admits its port %v from address ranges, not only from security groups (%s)", [aws.label(db), db_port(db), concat(", ", sort(object.keys(e)))]),
		"evidence": {"port": db_port(db), "exposed_security_groups": e},
	}
}
