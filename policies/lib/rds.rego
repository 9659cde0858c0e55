# Helpers shared by the RDS rules (RDS-02 … RDS-12): cluster membership and engine families.
package lib.rds

import rego.v1

import data.lib.aws

# cluster_index is every aws_rds_cluster keyed by "account|region|cluster_identifier" (built once per
# evaluation).
cluster_index[key] contains c if {
	some c in aws.resources("aws_rds_cluster")
	cid := object.get(c.attributes, "cluster_identifier", null)
	is_string(cid)
	key := concat("|", [c.account, c.region, cid])
}

# cluster_of(db) is the list of aws_rds_cluster resources (zero or one) that instance db is a member of,
# looked up by cluster_identifier in the instance's account and region.
cluster_of(db) := [c |
	cid := object.get(db.attributes, "cluster_identifier", "")
	is_string(cid)
	cid != ""
	some c in cluster_index[concat("|", [db.account, db.region, cid])]
]

# judged_by_cluster(db) holds when db belongs to an Aurora or Multi-AZ DB cluster that the inventory holds:
# settings that AWS manages on the cluster (storage encryption, backups, deletion protection, IAM
# authentication, the master user secret, point-in-time recovery) are then judged on the cluster. A member
# whose cluster is not in the inventory is judged on its own attributes, so it never passes unseen.
judged_by_cluster(db) if count(cluster_of(db)) > 0

# instances is every aws_db_instance judged on its own settings (not through its cluster).
instances := [db | some db in aws.resources("aws_db_instance"); not judged_by_cluster(db)]

# family(engine) groups RDS engine names: "aurora" is the MySQL 5.6-compatible Aurora, the editions of
# SQL Server, Oracle and Db2 share a family.
family(e) := "aurora-mysql" if e == "aurora"

family(e) := "sqlserver" if startswith(e, "sqlserver-")

family(e) := "oracle" if startswith(e, "oracle-")

family(e) := "db2" if startswith(e, "db2-")

family(e) := e if {
	is_string(e)
	e != "aurora"
	not startswith(e, "sqlserver-")
	not startswith(e, "oracle-")
	not startswith(e, "db2-")
}
