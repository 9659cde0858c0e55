package aws.rds.certificate_test

import rego.v1

import data.aws.rds.certificate
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

# The tests' scan time is 2026-11-27T00:00:00Z.
current := {"ca_cert_identifier": "rds-ca-rsa2048-g1", "certificate_valid_till": "2027-11-20T12:00:00Z"}

test_current_ca_with_a_year_left_passes if {
	d := certificate.deny with input as testing.inv([db("a", current)])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_expired_certificate_and_retired_ca_fail if {
	d := certificate.deny with input as testing.inv([
		db("a", {"ca_cert_identifier": "rds-ca-2019", "certificate_valid_till": "2024-08-22T17:08:50Z"}),
		db("ok", current),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
	count(d) == 2
}

test_certificate_expiring_within_90_days_fails if {
	d := certificate.deny with input as testing.inv([
		db("soon", object.union(current, {"certificate_valid_till": "2027-02-01T00:00:00Z"})),
		db("later", object.union(current, {"certificate_valid_till": "2027-03-01T00:00:00Z"})),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"soon"}
	some f in d
	f.evidence.days_left == 66
}

test_unknown_values_fail if {
	d := certificate.deny with input as testing.inv([
		db("a", {"ca_cert_identifier": "rds-ca-rsa2048-g1"}),
		db("b", {"certificate_valid_till": "2027-11-20T12:00:00Z"}),
		db("c", object.union(current, {"certificate_valid_till": "next year"})),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a", "b", "c"}
}

test_parameters_are_honoured if {
	d := certificate.deny with input as testing.inv([db("a", current)])
		with data.palisade.now_ns as testing.now_ns
		with data.palisade.config.rds_certificate_min_days as 400
		with data.palisade.config.rds_current_ca_identifiers as ["rds-ca-ecc384-g1"]
	testing.ids(d) == {"a"}
	count(d) == 2
}
