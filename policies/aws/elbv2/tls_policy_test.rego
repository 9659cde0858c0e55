package aws.elbv2.tls_policy_test

import rego.v1

import data.aws.elbv2.tls_policy
import data.lib.testing

listener(id, protocol, policy) := testing.res("aws_lb_listener", id, {"port": 443, "protocol": protocol, "ssl_policy": policy})

test_tls13_policies_pass if {
	d := tls_policy.deny with input as testing.inv([
		listener("a", "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
		listener("b", "HTTPS", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"),
		listener("c", "HTTPS", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"),
		listener("d", "HTTP", null),
	])
	count(d) == 0
}

test_legacy_policy_fails if {
	d := tls_policy.deny with input as testing.inv([
		listener("a", "HTTPS", "ELBSecurityPolicy-2016-08"),
		listener("b", "HTTPS", "ELBSecurityPolicy-TLS-1-2-2017-01"),
		listener("c", "HTTPS", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"),
		listener("d", "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
	])
	testing.ids(d) == {"a", "b", "c"}
}

test_unknown_policy_fails if {
	d := tls_policy.deny with input as testing.inv([testing.res("aws_lb_listener", "a", {"protocol": "HTTPS"})])
	testing.ids(d) == {"a"}
}

test_parameter_overrides_the_allowlist if {
	d := tls_policy.deny with input as testing.inv([listener("a", "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06")])
		with data.palisade.config.elbv2_allowed_ssl_policies as ["ELBSecurityPolicy-TLS13-1-3-2021-06"]
	testing.ids(d) == {"a"}
}
