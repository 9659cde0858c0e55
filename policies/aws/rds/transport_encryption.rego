# METADATA
# title: RDS instances require TLS for every connection
# description: >-
#   The reference architecture's ECS services talk to the MySQL database across the VPC; without
#   enforcement a client (or a misconfigured driver) can connect in clear text and expose credentials and
#   query results. Judges aws_db_instance through its DB parameter group (the aws_db_parameter_group whose
#   name equals parameter_group_name, in the same account and region): MySQL, MariaDB and Aurora MySQL must
#   set require_secure_transport to 1/ON; PostgreSQL, Aurora PostgreSQL and SQL Server must set rds.force_ssl
#   to 1. A default group (name starting with "default.") that the inventory does not hold fails, since the
#   defaults leave TLS optional - except for PostgreSQL 15 and later, whose default is rds.force_ssl = 1. A
#   custom group missing from the inventory, an unknown engine, or an engine whose TLS enforcement is not a
#   DB parameter (Oracle and Db2 use option groups) fails as unverifiable. Aurora sets these parameters in
#   the cluster parameter group, which the inventory does not hold: an Aurora member passes only when its
#   DB parameter group sets the parameter.
# custom:
#   id: RDS-07
#   severity: high
#   resource_types: [aws_db_instance]
#   requires: [aws_db_parameter_group]
#   remediation: >-
#     Create a custom parameter group and require TLS: `aws rds create-db-parameter-group
#     --db-parameter-group-name app-mysql80-tls --db-parameter-group-family mysql8.0 --description "TLS
#     only"`, `aws rds modify-db-parameter-group --db-parameter-group-name app-mysql80-tls --parameters
#     "ParameterName=require_secure_transport,ParameterValue=1,ApplyMethod=immediate"` (PostgreSQL:
#     `rds.force_ssl=1`, pending-reboot), then `aws rds modify-db-instance --db-instance-identifier <id>
#     --db-parameter-group-name app-mysql80-tls`. In Terraform add `parameter { name =
#     "require_secure_transport" value = "1" }` to an `aws_db_parameter_group` and reference it in the
#     instance's `parameter_group_name`.
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

setting(db) := tls_parameter[rds.family(object.get(db.attributes, "engine", null))]

group_name(db) := n if {
	n := object.get(db.attributes, "parameter_group_name", null)
	is_string(n)
	n != ""
}

# group_index is every DB parameter group keyed by "account|region|name" (built once per evaluation).
group_index[key] contains g if {
	some g in aws.resources("aws_db_parameter_group")
	name := object.get(g.attributes, "name", null)
	is_string(name)
	key := concat("|", [g.account, g.region, name])
}

groups(db) := [g | some g in group_index[concat("|", [db.account, db.region, group_name(db)])]]

is_default(db) if startswith(group_name(db), "default.")

# value(db) is the value the instance's inventoried parameter group gives the TLS parameter.
value(db) := v if {
	g := groups(db)[0]
	values := [lower(trim_space(sprintf("%v", [p.value]))) |
		some p in aws.blocks(g.attributes, "parameter")
		p.name == setting(db).name
	]
	v := values[0]
}

value_or_null(db) := value(db) if value(db) else := null

parameter_name(db) := setting(db).name if setting(db) else := null

enforced(db) if value(db) in setting(db).values

# PostgreSQL 15 and later ship rds.force_ssl = 1 in their default parameter groups.
enforced(db) if {
	count(groups(db)) == 0
	is_default(db)
	rds.family(object.get(db.attributes, "engine", null)) == "postgres"
	to_number(split(object.get(db.attributes, "engine_version", ""), ".")[0]) >= 15
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not enforced(db)
	finding := {
		"resource": db.id,
		"message": message(db),
		"evidence": {
			"engine": object.get(db.attributes, "engine", null),
			"parameter_group_name": object.get(db.attributes, "parameter_group_name", null),
			"parameter": parameter_name(db),
			"value": value_or_null(db),
			"parameter_group_in_inventory": count(groups(db)) > 0,
		},
	}
}

message(db) := sprintf("RDS instance %s runs engine %v, whose TLS enforcement palisade cannot verify from a DB parameter group", [aws.label(db), object.get(db.attributes, "engine", "(unknown)")]) if {
	not setting(db)
} else := sprintf("RDS instance %s has no known DB parameter group, so TLS enforcement is unknown", [aws.label(db)]) if {
	not group_name(db)
} else := sprintf("RDS instance %s sets %s to %s in parameter group %s instead of requiring TLS", [aws.label(db), setting(db).name, value(db), group_name(db)]) if {
	value(db)
} else := sprintf("RDS instance %s uses parameter group %s, which does not set %s, so TLS connections are optional", [aws.label(db), group_name(db), setting(db).name]) if {
	count(groups(db)) > 0
} else := sprintf("RDS instance %s uses the default parameter group %s, which does not require TLS (%s is off by default)", [aws.label(db), group_name(db), setting(db).name]) if {
	is_default(db)
} else := sprintf("RDS instance %s uses parameter group %s, which is not in the inventory, so TLS enforcement is unknown", [aws.label(db), group_name(db)])
