# METADATA
# title: ALB HTTP listeners redirect to HTTPS
# description: >-
#   The reference architecture's Application Load Balancer does "SSL/TLS termination" for the ECS frontend
#   and backend. A listener on HTTP must not forward requests to targets in cleartext: every HTTP listener's
#   default actions must be redirects whose protocol is HTTPS (ideally HTTP_301). A forward or fixed-response
#   action, a redirect that keeps the protocol (#{protocol}) or unknown default actions fail.
# custom:
#   id: ALB-01
#   severity: high
#   resource_types: [aws_lb_listener]
#   remediation: >-
#     Replace the HTTP listener's default action with a redirect: `aws elbv2 modify-listener --listener-arn
#     <arn> --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'`,
#     or in Terraform `default_action { type = "redirect" redirect { protocol = "HTTPS" port = "443"
#     status_code = "HTTP_301" } }` on the `aws_lb_listener`. Serve the application on an HTTPS listener.
#   frameworks:
#     fsbp: [ELB.1]
#     nist-800-53-r5: [AC-4, AC-17(2), IA-5(1), SC-7(4), SC-8, SC-8(1), SC-8(2), SC-12(3), SC-13, SC-23, SC-23(3), SI-7(6)]
#     prowler: [elbv2_ssl_listeners]
#     aws-config: [alb-http-to-https-redirection-check]
package aws.elbv2.http_redirect

import rego.v1

import data.lib.aws

redirects_to_https(a) if {
	a.type == "redirect"
	upper(object.get(aws.block(a, "redirect"), "protocol", "")) == "HTTPS"
}

compliant(l) if {
	actions := aws.blocks(l.attributes, "default_action")
	count(actions) > 0
	every a in actions {
		redirects_to_https(a)
	}
}

deny contains finding if {
	some l in aws.resources("aws_lb_listener")
	object.get(l.attributes, "protocol", null) == "HTTP"
	not compliant(l)
	finding := {
		"resource": l.id,
		"message": sprintf("HTTP listener %s (port %v) does not redirect every request to HTTPS", [aws.label(l), object.get(l.attributes, "port", null)]),
		"evidence": {
			"protocol": "HTTP",
			"port": object.get(l.attributes, "port", null),
			"default_action": [{"type": object.get(a, "type", null), "redirect": object.get(a, "redirect", null)} |
				some a in aws.blocks(l.attributes, "default_action")
			],
		},
	}
}
