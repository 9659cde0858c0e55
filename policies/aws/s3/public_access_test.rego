package aws.s3.public_access_test

import rego.v1

import data.aws.s3.public_access
import data.lib.testing

bucket(name, attrs) := testing.res("aws_s3_bucket", sprintf("arn:aws:s3:::%s", [name]), object.union({"bucket": name}, attrs))

on := {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}

account_block(values) := {
	"id": "arn:aws:s3::123456789012:account-public-access-block", "type": "aws_s3_account_public_access_block",
	"account": testing.account, "region": "global", "name": "123456789012",
	"attributes": object.union({"account_id": testing.account}, values), "tags": {},
}

bucket_block(name, values) := testing.res("aws_s3_bucket_public_access_block", sprintf("arn:aws:s3:::%s/public-access-block", [name]), object.union({"bucket": name}, values))

test_account_block_covers_buckets if {
	d := public_access.deny with input as testing.inv([account_block(on), bucket("a", {"policy_is_public": false}), bucket("b", {})])
	count(d) == 0
}

test_bucket_block_covers_its_bucket_only if {
	d := public_access.deny with input as testing.inv([bucket_block("a", on), bucket("a", {"policy_is_public": false}), bucket("b", {"policy_is_public": false})])
	testing.ids(d) == {"arn:aws:s3:::b"}
}

test_public_policy_fails_even_with_blocks if {
	d := public_access.deny with input as testing.inv([account_block(on), bucket("a", {"policy_is_public": true}), bucket("b", {"policy_is_public": false})])
	testing.ids(d) == {"arn:aws:s3:::a"}
}

test_partial_blocks_fail if {
	partial := object.union(on, {"restrict_public_buckets": false})
	unknown := object.remove(on, ["ignore_public_acls"])
	d := public_access.deny with input as testing.inv([
		account_block(partial),
		bucket_block("a", unknown),
		bucket("a", {"policy_is_public": false}),
		bucket("b", {"policy_is_public": false}),
	])
	testing.ids(d) == {"arn:aws:s3:::a", "arn:aws:s3:::b"}
}

test_no_blocks_at_all_fail if {
	d := public_access.deny with input as testing.inv([bucket("a", {"policy_is_public": false})])
	testing.ids(d) == {"arn:aws:s3:::a"}
}

test_block_of_another_account_does_not_count if {
	other := object.union(account_block(on), {"account": "210987654321", "attributes": object.union(on, {"account_id": "210987654321"})})
	d := public_access.deny with input as testing.inv([other, bucket("a", {})])
	testing.ids(d) == {"arn:aws:s3:::a"}
}
