package aws.secretsmanager.rotated_periodically_test

import rego.v1

import data.aws.secretsmanager.rotated_periodically as rule
import data.lib.testing

secret(id, attrs) := testing.res("aws_secretsmanager_secret", id, attrs)

test_recently_rotated_and_new_secrets_pass if {
	d := rule.deny with input as testing.inv([
		secret("a", {"created_date": "2024-01-01T00:00:00Z", "last_rotated_date": "2026-11-01T00:00:00Z"}),
		secret("b", {"created_date": "2026-10-01T00:00:00Z"}),
	])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_old_rotation_fails if {
	d := rule.deny with input as testing.inv([
		secret("a", {"created_date": "2024-01-01T00:00:00Z", "last_rotated_date": "2026-06-01T00:00:00Z"}),
		secret("b", {"created_date": "2026-11-20T00:00:00Z", "last_rotated_date": "2026-11-20T00:00:00Z"}),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.days_unrotated == 179
}

test_never_rotated_old_secret_fails if {
	d := rule.deny with input as testing.inv([secret("a", {"created_date": "2025-03-01T09:30:00Z"})])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
}

test_boundary_and_parameter if {
	inp := testing.inv([secret("a", {"last_rotated_date": "2026-08-29T00:00:00Z"})])
	count(rule.deny) == 0 with input as inp with data.palisade.now_ns as testing.now_ns
	d := rule.deny with input as inp with data.palisade.now_ns as testing.now_ns
		with data.palisade.config.secretsmanager_max_days_unrotated as 30
	testing.ids(d) == {"a"}
}

test_unknown_dates_fail if {
	d := rule.deny with input as testing.inv([secret("a", {}), secret("b", {"created_date": "yesterday"})])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a", "b"}
}
