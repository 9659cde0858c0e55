package aws.rds.transport_encryption_test

import rego.v1

import data.aws.rds.transport_encryption
import data.lib.testing

db(id, engine, group) := testing.res("aws_db_instance", id, {"engine": engine, "engine_version": "8.0.39", "parameter_group_name": group})

pg(name, params) := testing.res("aws_db_parameter_group", name, {"name": name, "family": "mysql8.0", "parameter": params})

tls_on := pg("tls", [{"name": "require_secure_transport", "value": "1"}])

test_mysql_with_tls_group_passes if {
	d := transport_encryption.deny with input as testing.inv([
		db("a", "mysql", "tls"),
		db("b", "mariadb", "tls-on"),
		tls_on,
		pg("tls-on", [{"name": "require_secure_transport", "value": "ON"}]),
	])
	count(d) == 0
}

test_postgres_force_ssl_passes if {
	d := transport_encryption.deny with input as testing.inv([
		testing.res("aws_db_instance", "p", {"engine": "postgres", "engine_version": "14.12", "parameter_group_name": "pg14"}),
		pg("pg14", [{"name": "rds.force_ssl", "value": "1"}]),
	])
	count(d) == 0
}

test_group_without_parameter_or_with_off_fails if {
	d := transport_encryption.deny with input as testing.inv([
		db("a", "mysql", "plain"),
		db("b", "mysql", "off"),
		db("ok", "mysql", "tls"),
		tls_on,
		pg("plain", [{"name": "max_connections", "value": "200"}]),
		pg("off", [{"name": "require_secure_transport", "value": "0"}]),
	])
	testing.ids(d) == {"a", "b"}
}

test_default_group_fails if {
	d := transport_encryption.deny with input as testing.inv([db("a", "mysql", "default.mysql8.0")])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "default parameter group")
}

test_postgres_15_default_group_passes if {
	d := transport_encryption.deny with input as testing.inv([
		testing.res("aws_db_instance", "p16", {"engine": "postgres", "engine_version": "16.4", "parameter_group_name": "default.postgres16"}),
		testing.res("aws_db_instance", "p13", {"engine": "postgres", "engine_version": "13.15", "parameter_group_name": "default.postgres13"}),
	])
	testing.ids(d) == {"p13"}
}

test_unknown_custom_group_fails_as_unknown if {
	d := transport_encryption.deny with input as testing.inv([db("a", "mysql", "custom-elsewhere")])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "not in the inventory")
}

test_group_in_another_region_does_not_count if {
	other := object.union(tls_on, {"region": "eu-west-1"})
	d := transport_encryption.deny with input as testing.inv([db("a", "mysql", "tls"), other])
	testing.ids(d) == {"a"}
}

test_unknown_engine_or_group_fails if {
	d := transport_encryption.deny with input as testing.inv([
		testing.res("aws_db_instance", "o", {"engine": "oracle-ee", "parameter_group_name": "tls"}),
		testing.res("aws_db_instance", "x", {"parameter_group_name": "tls"}),
		testing.res("aws_db_instance", "n", {"engine": "mysql"}),
		tls_on,
	])
	testing.ids(d) == {"o", "x", "n"}
}

cluster(id, engine, group) := testing.res("aws_rds_cluster", id, {"cluster_identifier": id, "engine": engine, "engine_version": "8.0.mysql_aurora.3.05.2", "db_cluster_parameter_group_name": group})

cpg(name, params) := testing.res("aws_rds_cluster_parameter_group", name, {"name": name, "family": "aurora-mysql8.0", "parameter": params})

test_aurora_cluster_is_judged_by_its_cluster_parameter_group if {
	d := transport_encryption.deny with input as testing.inv([
		cluster("tls", "aurora-mysql", "c-tls"),
		cluster("plain", "aurora-mysql", "c-plain"),
		cluster("dflt", "aurora-mysql", "default.aurora-mysql8.0"),
		cluster("pg", "aurora-postgresql", "c-pg"),
		cpg("c-tls", [{"name": "require_secure_transport", "value": "ON"}]),
		cpg("c-plain", [{"name": "max_connections", "value": "200"}]),
		cpg("c-pg", [{"name": "rds.force_ssl", "value": "1"}]),
	])
	testing.ids(d) == {"plain", "dflt"}
	some f in d
	f.resource == "dflt"
	contains(f.message, "RDS cluster")
	contains(f.message, "default DB cluster parameter group default.aurora-mysql8.0")
	f.evidence.db_cluster_parameter_group_name == "default.aurora-mysql8.0"
}

# A DB parameter group of the same name does not stand for the cluster's, nor the other way round.
test_parameter_group_kinds_are_not_mixed if {
	d := transport_encryption.deny with input as testing.inv([
		cluster("c", "aurora-mysql", "tls"),
		db("a", "mysql", "c-tls"),
		tls_on,
		cpg("c-tls", [{"name": "require_secure_transport", "value": "1"}]),
	])
	testing.ids(d) == {"c", "a"}
}

# Members of a cluster in the inventory are judged on the cluster; a member whose cluster is missing is
# judged on its own DB parameter group.
member(id, c) := testing.res("aws_db_instance", id, {"engine": "aurora-mysql", "parameter_group_name": "default.aurora-mysql8.0", "cluster_identifier": c})

test_cluster_members_are_judged_on_their_cluster if {
	d := transport_encryption.deny with input as testing.inv([
		cluster("c", "aurora-mysql", "default.aurora-mysql8.0"),
		member("in-c", "c"),
		member("orphan", "gone"),
	])
	testing.ids(d) == {"c", "orphan"}
}
