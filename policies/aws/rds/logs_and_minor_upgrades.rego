# METADATA
# title: RDS instances export their logs to CloudWatch and take minor version upgrades
# description: >-
#   The reference architecture centralises logs in CloudWatch; the database's error and slow-query logs are
#   what an operator needs to investigate an outage or an injection attempt, and automatic minor version
#   upgrades bring the engine's security patches in the maintenance window. Judges aws_db_instance:
#   enabled_cloudwatch_logs_exports must contain every log type the parameter `rds_required_log_exports`
#   lists for the instance's engine family (an object from family to log types; default: MySQL, MariaDB and
#   Aurora MySQL error and slowquery - add audit or general per policy -, PostgreSQL and Aurora PostgreSQL
#   postgresql, SQL Server error, Oracle alert and listener, Db2 diag.log; a family the object does not name
#   must export at least one log type), and auto_minor_version_upgrade must be true. For a member of a
#   cluster in the inventory the cluster's exports count, since Aurora exports logs per cluster. Unknown
#   values fail.
# custom:
#   id: RDS-08
#   severity: medium
#   resource_types: [aws_db_instance]
#   requires: [aws_rds_cluster]
#   remediation: >-
#     `aws rds modify-db-instance --db-instance-identifier <id> --cloudwatch-logs-export-configuration
#     '{"EnableLogTypes":["error","slowquery"]}' --auto-minor-version-upgrade --apply-immediately` (set
#     `slow_query_log = 1` in the parameter group so the slow-query log has content), or set
#     `enabled_cloudwatch_logs_exports = ["error", "slowquery"]` and `auto_minor_version_upgrade = true` on
#     the `aws_db_instance` in Terraform (on the `aws_rds_cluster` for Aurora exports).
#   frameworks:
#     fsbp: [RDS.9, RDS.13]
#     nist-800-53-r5: [AC-2(4), AC-4(26), AC-6(9), AU-2, AU-3, AU-6(3), AU-6(4), AU-10, AU-12, CA-7, SC-7(9), SC-7(10), SI-2, SI-2(2), SI-2(4), SI-2(5), SI-3(8), SI-4(20), SI-7(8)]
#     cis-aws-v5: ["2.2.2"]
#     prowler: [rds_instance_integration_cloudwatch_logs, rds_instance_minor_version_upgrade_enabled]
#     aws-config: [rds-logging-enabled, rds-automatic-minor-version-upgrade-enabled]
#   parameters:
#     rds_required_log_exports:
#       mysql: [error, slowquery]
#       mariadb: [error, slowquery]
#       aurora-mysql: [error, slowquery]
#       postgres: [postgresql]
#       aurora-postgresql: [postgresql]
#       sqlserver: [error]
#       oracle: [alert, listener]
#       db2: [diag.log]
package aws.rds.logs_and_minor_upgrades

import rego.v1

import data.lib.aws
import data.lib.rds

# exports(db) is the log types db sends to CloudWatch: its cluster's for a cluster member.
exports(db) := aws.attr(rds.cluster_of(db)[0], "enabled_cloudwatch_logs_exports", null) if {
	rds.judged_by_cluster(db)
} else := object.get(db.attributes, "enabled_cloudwatch_logs_exports", null)

required(db) := data.palisade.config.rds_required_log_exports[rds.family(object.get(db.attributes, "engine", null))]

missing(db) := sort({t | some t in required(db); not t in exports(db)})

logs_ok(db) if {
	is_array(exports(db))
	count(missing(db)) == 0
	count(exports(db)) > 0
}

logs_ok(db) if {
	is_array(exports(db))
	is_string(object.get(db.attributes, "engine", null))
	not required(db)
	count(exports(db)) > 0
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not logs_ok(db)
	finding := {
		"resource": db.id,
		"message": logs_message(db),
		"evidence": {
			"engine": object.get(db.attributes, "engine", null),
			"enabled_cloudwatch_logs_exports": exports(db),
			"required": required_or_null(db),
		},
	}
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not object.get(db.attributes, "auto_minor_version_upgrade", null) == true
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s does not apply minor engine version upgrades automatically", [aws.label(db)]),
		"evidence": {"auto_minor_version_upgrade": object.get(db.attributes, "auto_minor_version_upgrade", null)},
	}
}

required_or_null(db) := required(db) if required(db) else := null

logs_message(db) := sprintf("RDS instance %s has unknown CloudWatch log exports", [aws.label(db)]) if {
	not is_array(exports(db))
} else := sprintf("RDS instance %s does not export the %s log(s) to CloudWatch Logs", [aws.label(db), concat(", ", missing(db))]) if {
	count(missing(db)) > 0
} else := sprintf("RDS instance %s exports no logs to CloudWatch Logs", [aws.label(db)])
