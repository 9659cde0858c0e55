package aws.cloudfront.viewer_https_test

import rego.v1

import data.aws.cloudfront.viewer_https
import data.lib.testing

dist(id, default_vpp, ordered) := testing.res("aws_cloudfront_distribution", id, {
	"default_cache_behavior": [{"viewer_protocol_policy": default_vpp}],
	"ordered_cache_behavior": ordered,
})

test_https_everywhere_passes if {
	d := viewer_https.deny with input as testing.inv([
		dist("a", "redirect-to-https", [{"path_pattern": "/api/*", "viewer_protocol_policy": "https-only"}]),
		dist("b", "https-only", []),
	])
	count(d) == 0
}

test_allow_all_default_fails if {
	d := viewer_https.deny with input as testing.inv([dist("a", "allow-all", []), dist("b", "redirect-to-https", [])])
	testing.ids(d) == {"a"}
}

# The Prowler blind spot: the default redirects, one ordered behavior allows HTTP.
test_allow_all_ordered_behavior_fails if {
	d := viewer_https.deny with input as testing.inv([dist("a", "redirect-to-https", [
		{"path_pattern": "/static/*", "viewer_protocol_policy": "https-only"},
		{"path_pattern": "/legacy/*", "viewer_protocol_policy": "allow-all"},
	])])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.behaviors_without_https == [{"path_pattern": "/legacy/*", "viewer_protocol_policy": "allow-all"}]
}

test_missing_viewer_protocol_policy_fails if {
	d := viewer_https.deny with input as testing.inv([testing.res("aws_cloudfront_distribution", "a", {
		"default_cache_behavior": [{}],
	})])
	testing.ids(d) == {"a"}
}

test_missing_default_behavior_fails if {
	d := viewer_https.deny with input as testing.inv([testing.res("aws_cloudfront_distribution", "a", {})])
	testing.ids(d) == {"a"}
}
