# METADATA
# title: RDS instances use a current CA and a server certificate that is not about to expire
# description: >-
#   TLS to the reference architecture's database is only as good as the server certificate: when it expires,
#   clients that verify it (as they must) can no longer connect, and instances still on a retired CA such as
#   rds-ca-2019 lose their certificate when AWS rotates it. Judges aws_db_instance: certificate_valid_till
#   must be more than `rds_certificate_min_days` days (default 90) after the scan time, and
#   ca_cert_identifier must be one of `rds_current_ca_identifiers` (default the 2021 CAs rds-ca-rsa2048-g1,
#   rds-ca-rsa4096-g1 and rds-ca-ecc384-g1). An unknown or unparsable value fails.
# custom:
#   id: RDS-09
#   severity: high
#   resource_types: [aws_db_instance]
#   remediation: >-
#     Move the instance to a current CA, which also issues a new server certificate: `aws rds
#     modify-db-instance --db-instance-identifier <id> --ca-certificate-identifier rds-ca-rsa2048-g1
#     --apply-immediately` (or during the maintenance window), after updating the clients' trust store with
#     the AWS RDS global bundle. In Terraform set `ca_cert_identifier = "rds-ca-rsa2048-g1"` on the
#     `aws_db_instance`.
#   frameworks:
#     prowler: [rds_instance_certificate_expiration]
#   parameters:
#     rds_certificate_min_days: 90
#     rds_current_ca_identifiers: [rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1]
package aws.rds.certificate

import rego.v1

import data.lib.aws

day_ns := ((24 * 60) * 60) * 1000000000

# remaining_ns(db) is the time from the scan to the end of the server certificate's validity.
remaining_ns(db) := time.parse_rfc3339_ns(object.get(db.attributes, "certificate_valid_till", null)) - data.palisade.now_ns

valid_long_enough(db) if remaining_ns(db) > data.palisade.config.rds_certificate_min_days * day_ns

days_left(db) := floor(remaining_ns(db) / day_ns) if remaining_ns(db) else := null

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not valid_long_enough(db)
	finding := {
		"resource": db.id,
		"message": expiry_message(db),
		"evidence": {
			"certificate_valid_till": object.get(db.attributes, "certificate_valid_till", null),
			"days_left": days_left(db),
			"rds_certificate_min_days": data.palisade.config.rds_certificate_min_days,
		},
	}
}

deny contains finding if {
	some db in aws.resources("aws_db_instance")
	not object.get(db.attributes, "ca_cert_identifier", null) in data.palisade.config.rds_current_ca_identifiers
	finding := {
		"resource": db.id,
		"message": sprintf("RDS instance %s uses CA %v, which is not a current RDS certificate authority", [aws.label(db), object.get(db.attributes, "ca_cert_identifier", "(unknown)")]),
		"evidence": {
			"ca_cert_identifier": object.get(db.attributes, "ca_cert_identifier", null),
			"rds_current_ca_identifiers": data.palisade.config.rds_current_ca_identifiers,
		},
	}
}

expiry_message(db) := sprintf("RDS instance %s has an unknown server certificate expiry", [aws.label(db)]) if {
	not remaining_ns(db)
} else := sprintf("RDS instance %s has a server certificate that expired on %s", [aws.label(db), object.get(db.attributes, "certificate_valid_till", null)]) if {
	remaining_ns(db) <= 0
} else := sprintf("RDS instance %s has a server certificate that expires in %d days, on %s (required: more than %v)", [aws.label(db), days_left(db), object.get(db.attributes, "certificate_valid_till", null), data.palisade.config.rds_certificate_min_days])
