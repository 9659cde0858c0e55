package aws.elbv2.http_redirect_test

import rego.v1

import data.aws.elbv2.http_redirect
import data.lib.testing

listener(id, protocol, actions) := testing.res("aws_lb_listener", id, {
	"load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188",
	"port": 80, "protocol": protocol, "default_action": actions,
})

redirect(protocol) := {"type": "redirect", "redirect": [{"protocol": protocol, "port": "443", "status_code": "HTTP_301"}]}

forward := {"type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/1"}

test_http_redirect_to_https_passes if {
	d := http_redirect.deny with input as testing.inv([
		listener("a", "HTTP", [redirect("HTTPS")]),
		listener("b", "HTTPS", [forward]),
	])
	count(d) == 0
}

test_http_forward_fails if {
	d := http_redirect.deny with input as testing.inv([listener("a", "HTTP", [forward]), listener("b", "HTTP", [redirect("HTTPS")])])
	testing.ids(d) == {"a"}
}

test_redirect_keeping_protocol_fails if {
	d := http_redirect.deny with input as testing.inv([
		listener("a", "HTTP", [redirect("#{protocol}")]),
		listener("b", "HTTP", [{"type": "redirect"}]),
		listener("c", "HTTP", [{"type": "fixed-response"}]),
	])
	testing.ids(d) == {"a", "b", "c"}
}

test_unknown_default_action_fails if {
	d := http_redirect.deny with input as testing.inv([listener("a", "HTTP", []), testing.res("aws_lb_listener", "b", {"protocol": "HTTP"})])
	testing.ids(d) == {"a", "b"}
}
