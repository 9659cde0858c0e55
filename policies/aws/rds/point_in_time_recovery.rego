# METADATA
# title: RDS point-in-time recovery is possible up to the last hour
# description: >-
#   The reference architecture promises automated backups and point-in-time recovery for its MySQL
#   database. Recovery to a recent instant needs automated backups on (backup_retention_period > 0) and
#   transaction logs that keep being uploaded: latest_restorable_time, the latest instant RDS can restore to,
#   normally trails the present by about five minutes; a larger lag means log shipping is stuck and the
#   newest data could not be restored. Judges aws_db_instance and aws_rds_cluster: backup_retention_period
#   must be above 0 and latest_restorable_time at most `rds_max_restore_lag_minutes` minutes (default 60)
#   before the scan time. An instance that belongs to a cluster in the inventory is judged through its
#   cluster, which owns Aurora's backups. Unknown or unparsable values fail.
# custom:
#   id: RDS-12
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   remediation: >-
#     Turn automated backups on with `aws rds modify-db-instance --db-instance-identifier <id>
#     --backup-retention-period 7 --apply-immediately` (`backup_retention_period = 7` in Terraform). If
#     backups are on but the latest restorable time lags, check the instance's events (`aws rds
#     describe-events --source-type db-instance --source-identifier <id>`) for backup or log-upload
#     failures, storage-full conditions or a stopped instance, and open an AWS Support case if it persists.
#   frameworks: {}
#   parameters:
#     rds_max_restore_lag_minutes: 60
package aws.rds.point_in_time_recovery

import rego.v1

import data.lib.aws
import data.lib.rds

minute_ns := 60 * 1000000000

lag_ns(r) := data.palisade.now_ns - time.parse_rfc3339_ns(object.get(r.attributes, "latest_restorable_time", null))

recent(r) if lag_ns(r) <= data.palisade.config.rds_max_restore_lag_minutes * minute_ns

lag_minutes(r) := floor(lag_ns(r) / minute_ns) if lag_ns(r) else := null

backups_on(r) if {
	days := object.get(r.attributes, "backup_retention_period", null)
	is_number(days)
	days > 0
}

deny contains finding if {
	some r in array.concat(rds.instances, aws.resources("aws_rds_cluster"))
	not backups_on(r)
	finding := {
		"resource": r.id,
		"message": backups_message(r),
		"evidence": {"backup_retention_period": object.get(r.attributes, "backup_retention_period", null)},
	}
}

deny contains finding if {
	some r in array.concat(rds.instances, aws.resources("aws_rds_cluster"))
	backups_on(r)
	not recent(r)
	finding := {
		"resource": r.id,
		"message": lag_message(r),
		"evidence": {
			"latest_restorable_time": object.get(r.attributes, "latest_restorable_time", null),
			"lag_minutes": lag_minutes(r),
			"rds_max_restore_lag_minutes": data.palisade.config.rds_max_restore_lag_minutes,
		},
	}
}

backups_message(r) := sprintf("RDS %s %s cannot be restored to a point in time: automated backups are off (retention %v days)", [kind(r), aws.label(r), object.get(r.attributes, "backup_retention_period", null)]) if {
	is_number(object.get(r.attributes, "backup_retention_period", null))
} else := sprintf("RDS %s %s has an unknown backup retention period, so point-in-time recovery is not known to be possible", [kind(r), aws.label(r)])

lag_message(r) := sprintf("RDS %s %s has an unknown latest restorable time", [kind(r), aws.label(r)]) if {
	not lag_ns(r)
} else := sprintf("RDS %s %s can only be restored to %s, %d minutes before the scan (allowed: %v)", [kind(r), aws.label(r), object.get(r.attributes, "latest_restorable_time", null), lag_minutes(r), data.palisade.config.rds_max_restore_lag_minutes])

kind(r) := "cluster" if r.type == "aws_rds_cluster"

kind(r) := "instance" if r.type == "aws_db_instance"
