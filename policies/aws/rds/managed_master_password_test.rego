package aws.rds.managed_master_password_test

import rego.v1

import data.aws.rds.managed_master_password
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

cluster(id, attrs) := testing.res("aws_rds_cluster", id, attrs)

secret := [{"secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-a-AbCdEf"}]

test_managed_secret_passes if {
	d := managed_master_password.deny with input as testing.inv([
		db("a", {"manage_master_user_password": true, "master_user_secret": secret}),
		db("b", {"master_user_secret": secret}),
		db("plan", {"manage_master_user_password": true}),
		cluster("c", {"cluster_identifier": "c", "master_user_secret": secret}),
	])
	count(d) == 0
}

test_unmanaged_password_fails if {
	d := managed_master_password.deny with input as testing.inv([
		db("a", {"manage_master_user_password": false}),
		db("b", {"master_user_secret": []}),
		db("c", {"master_user_secret": [{"secret_arn": ""}]}),
		cluster("k", {"cluster_identifier": "k"}),
	])
	testing.ids(d) == {"a", "b", "c", "k"}
}

test_unknown_fails if {
	d := managed_master_password.deny with input as testing.inv([db("a", {})])
	testing.ids(d) == {"a"}
}

test_member_is_judged_through_its_cluster if {
	d := managed_master_password.deny with input as testing.inv([
		db("m", {"cluster_identifier": "k"}),
		cluster("k", {"cluster_identifier": "k", "master_user_secret": secret}),
	])
	count(d) == 0
}
