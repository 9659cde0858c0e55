# METADATA
# title: RDS instances and clusters require TLS for every connection
# description: >-
#   The reference architecture's ECS services talk to the MySQL database across the VPC; without
#   enforcement a client (or a misconfigured driver) can connect in clear text and expose credentials and
#   query results. Judges aws_db_instance through its DB parameter group (the aws_db_parameter_group whose
#   name equals parameter_group_name, in the same account and region) and aws_rds_cluster (Aurora and
#   Multi-AZ DB clusters) through its DB cluster parameter group (the aws_rds_cluster_parameter_group named
#   by db_cluster_parameter_group_name): MySQL, MariaDB and Aurora MySQL must set require_secure_transport
#   to 1/ON; PostgreSQL, Aurora PostgreSQL and SQL Server must set rds.force_ssl to 1. A default group (name
#   starting with "default.") that the inventory does not hold fails, since the defaults leave TLS optional
#   - except for PostgreSQL 15 and later, whose default is rds.force_ssl = 1. A custom group missing from
#   the inventory, an unknown engine, or an engine whose TLS enforcement is not a DB parameter (Oracle and
#   Db2 use option groups) fails as unverifiable. An instance that belongs to a cluster in the inventory is
#   judged on its cluster, where Aurora sets these parameters; one whose cluster is not in the inventory is
#   judged on its own DB parameter group.
# custom:
#   id: RDS-07
#   severity: high
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   requires: [aws_db_parameter_group, aws_rds_cluster_parameter_group]
#   remediation: >-
#     Create a custom parameter group and require TLS: `aws rds create-db-parameter-group
#     --db-parameter-group-name app-mysql80-tls --db-parameter-group-family mysql8.0 --description "TLS
#     only"`, `aws rds modify-db-parameter-group --db-parameter-group-name app-mysql80-tls --parameters
#     "ParameterName=require_secure_transport,ParameterValue=1,ApplyMethod=immediate"` (PostgreSQL:
#     `rds.force_ssl=1`, pending-reboot), then `aws rds modify-db-instance --db-instance-identifier <id>
#     --db-parameter-group-name app-mysql80-tls`. For an Aurora or Multi-AZ DB cluster, do the same with a
#     DB cluster parameter group (`aws rds create-db-cluster-parameter-group`,
#     `modify-db-cluster-parameter-group`, `modify-db-cluster --db-cluster-parameter-group-name`). In
#     Terraform add `parameter { name = "require_secure_transport" value = "1" }` to an
#     `aws_db_parameter_group` (or `aws_rds_cluster_parameter_group`) and reference it in the instance's
#     `parameter_group_name` (the cluster's `db_cluster_parameter_group_name`).
#   frameworks:
#     fsbp: [RDS.39]
#     prowler: [rds_instance_transport_encrypted]
#     aws-config: [rds-mysql-instance-encrypted-in-transit]
package aws.rds.transport_encryption

import rego.v1

import data.lib.aws
import data.lib.rds

# tls_parameter[family] is the DB parameter that forces TLS for an engine family and its accepted values.
tls_parameter := {
	"mysql": {"name": "require_secure_transport", "values": {"1", "on"}},
	"mariadb": {"name": "require_secure_transport", "values": {"1", "on"}},
	"aurora-mysql": {"name": "require_secure_transport", "values": {"1", "on"}},
	"postgres": {"name": "rds.force_ssl", "values": {"1"}},
	"aurora-postgresql": {"name": "rds.force_ssl", "values": {"1"}},
	"sqlserver": {"name": "rds.force_ssl", "values": {"1"}},
}

# The subjects: instances judged on their own, and clusters.
subjects := array.concat(rds.instances, aws.resources("aws_rds_cluster"))

# How each kind of subject names its parameter group: the attribute, the group's type, and the words for
# messages.
kinds := {
	"aws_db_instance": {
		"attribute": "parameter_group_name",
		"group_type": "aws_db_parameter_group",
		"noun": "RDS instance",
		"group_noun": "parameter group",
	},
	"aws_rds_cluster": {
		"attribute": "db_cluster_parameter_group_name",
		"group_type": "aws_rds_cluster_parameter_group",
		"noun": "RDS cluster",
		"group_noun": "DB cluster parameter group",
	},
}

noun(s) := kinds[s.type].noun

group_noun(s) := kinds[s.type].group_noun

group_attribute(s) := kinds[s.type].attribute

group_type(s) := kinds[s.type].group_type

setting(s) := tls_parameter[rds.family(object.get(s.attributes, "engine", null))]

group_name(s) := n if {
	n := object.get(s.attributes, group_attribute(s), null)
	is_string(n)
	n != ""
}

# group_index is every DB parameter group and DB cluster parameter group keyed by
# "type|account|region|name" (built once per evaluation).
group_index[key] contains g if {
	some k in kinds
	t := k.group_type
	some g in aws.resources(t)
	name := object.get(g.attributes, "name", null)
	is_string(name)
	key := concat("|", [t, g.account, g.region, name])
}

groups(s) := [g | some g in group_index[concat("|", [group_type(s), s.account, s.region, group_name(s)])]]

is_default(s) if startswith(group_name(s), "default.")

# value(s) is the value the subject's inventoried parameter group gives the TLS parameter.
value(s) := v if {
	g := groups(s)[0]
	values := [lower(trim_space(sprintf("%v", [p.value]))) |
		some p in aws.blocks(g.attributes, "parameter")
		p.name == setting(s).name
	]
	v := values[0]
}

value_or_null(s) := value(s) if value(s) else := null

parameter_name(s) := setting(s).name if setting(s) else := null

enforced(s) if value(s) in setting(s).values

# PostgreSQL 15 and later ship rds.force_ssl = 1 in their default parameter groups.
enforced(s) if {
	count(groups(s)) == 0
	is_default(s)
	rds.family(object.get(s.attributes, "engine", null)) == "postgres"
	to_number(split(object.get(s.attributes, "engine_version", ""), ".")[0]) >= 15
}

deny contains finding if {
	some s in subjects
	not enforced(s)
	finding := {
		"resource": s.id,
		"message": message(s),
		"evidence": {
			"engine": object.get(s.attributes, "engine", null),
			group_attribute(s): object.get(s.attributes, group_attribute(s), null),
			"parameter": parameter_name(s),
			"value": value_or_null(s),
			"parameter_group_in_inventory": count(groups(s)) > 0,
		},
	}
}

message(s) := sprintf("%s %s runs engine %v, whose TLS enforcement palisade cannot verify from a DB parameter group", [noun(s), aws.label(s), object.get(s.attributes, "engine", "(unknown)")]) if {
	not setting(s)
} else := sprintf("%s %s has no known %s, so TLS enforcement is unknown", [noun(s), aws.label(s), group_noun(s)]) if {
	not group_name(s)
} else := sprintf("%s %s sets %s to %s in %s %s instead of requiring TLS", [noun(s), aws.label(s), setting(s).name, value(s), group_noun(s), group_name(s)]) if {
	value(s)
} else := sprintf("%s %s uses %s %s, which does not set %s, so TLS connections are optional", [noun(s), aws.label(s), group_noun(s), group_name(s), setting(s).name]) if {
	count(groups(s)) > 0
} else := sprintf("%s %s uses the default %s %s, which does not require TLS (%s is off by default)", [noun(s), aws.label(s), group_noun(s), group_name(s), setting(s).name]) if {
	is_default(s)
} else := sprintf("%s %s uses %s %s, which is not in the inventory, so TLS enforcement is unknown", [noun(s), aws.label(s), group_noun(s), group_name(s)])
