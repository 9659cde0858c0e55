package aws.rds.storage_encrypted_test

import rego.v1

import data.aws.rds.storage_encrypted
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

cluster(id, attrs) := testing.res("aws_rds_cluster", id, attrs)

test_encrypted_instance_and_cluster_pass if {
	d := storage_encrypted.deny with input as testing.inv([
		db("a", {"storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/k"}),
		cluster("c", {"cluster_identifier": "c", "storage_encrypted": true}),
	])
	count(d) == 0
}

test_unencrypted_instance_and_cluster_fail if {
	d := storage_encrypted.deny with input as testing.inv([
		db("a", {"storage_encrypted": false}),
		db("b", {"storage_encrypted": true}),
		cluster("c", {"cluster_identifier": "c", "storage_encrypted": false}),
	])
	testing.ids(d) == {"a", "c"}
}

test_unknown_setting_fails if {
	d := storage_encrypted.deny with input as testing.inv([db("a", {}), cluster("c", {"cluster_identifier": "c"})])
	testing.ids(d) == {"a", "c"}
}

test_member_is_judged_through_its_cluster if {
	d := storage_encrypted.deny with input as testing.inv([
		db("m", {"cluster_identifier": "c"}),
		cluster("c", {"cluster_identifier": "c", "storage_encrypted": false}),
	])
	testing.ids(d) == {"c"}
}

test_member_of_unknown_cluster_is_judged_itself if {
	d := storage_encrypted.deny with input as testing.inv([db("m", {"cluster_identifier": "gone"})])
	testing.ids(d) == {"m"}
}
