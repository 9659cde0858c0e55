# Helpers shared by the container rules (ECS-01 … ECS-03, XR-01, CW-02, CICD-01): which cluster a service runs
# in, the key other services use for it (Application Auto Scaling's `service/<cluster>/<service>`, CloudWatch's
# ClusterName/ServiceName dimensions, CodeDeploy's ecs_service block), Fargate detection, and the container
# definitions of a task definition (a JSON string in Terraform and in the inventory).
package lib.ecs

import rego.v1

import data.lib.aws

services := aws.resources("aws_ecs_service")

task_definitions := aws.resources("aws_ecs_task_definition")

non_empty(x) if {
	is_string(x)
	x != ""
}

# last_segment(s) is the part of s after its last "/" (s itself when it has none).
last_segment(s) := parts[count(parts) - 1] if {
	parts := split(s, "/")
}

# cluster_index maps every identifier of an aws_ecs_cluster (its id, ARN, name, and the plan address that a
# service's unresolved `cluster` reference holds) to the cluster's name, per account (built once).
cluster_index[key] := name if {
	some c in aws.resources("aws_ecs_cluster")
	name := object.get(c.attributes, "name", last_segment(c.id))
	non_empty(name)
	some ref in {c.id, c.name, object.get(c.attributes, "arn", ""), object.get(c.attributes, "id", ""), name}
	non_empty(ref)
	key := concat("|", [c.account, ref])
}

# cluster_name(svc) is the name of the cluster svc runs in: the aws_ecs_cluster its `cluster` attribute (ARN,
# name or plan address) names, else the last segment of that ARN. Undefined when `cluster` is absent.
cluster_name(svc) := n if {
	ref := object.get(svc.attributes, "cluster", null)
	non_empty(ref)
	n := cluster_index[concat("|", [svc.account, ref])]
} else := n if {
	ref := object.get(svc.attributes, "cluster", null)
	non_empty(ref)
	n := last_segment(ref)
}

# service_name(svc) is the service's name (attribute, else the last segment of its ARN).
service_name(svc) := n if {
	n := object.get(svc.attributes, "name", null)
	non_empty(n)
} else := last_segment(svc.id)

# scaling_resource_id(svc) is the Application Auto Scaling resource id of the service,
# "service/<cluster name>/<service name>" (undefined when the cluster is unknown).
scaling_resource_id(svc) := concat("/", ["service", cluster_name(svc), service_name(svc)])

# service_key(svc) identifies the service across types: "account|region|cluster|service".
service_key(svc) := concat("|", [svc.account, svc.region, cluster_name(svc), service_name(svc)])

# Fargate: launch_type FARGATE, or a capacity provider strategy that names FARGATE / FARGATE_SPOT.
fargate_providers := {"FARGATE", "FARGATE_SPOT"}

is_fargate(svc) if object.get(svc.attributes, "launch_type", null) == "FARGATE"

is_fargate(svc) if {
	some s in aws.blocks(svc.attributes, "capacity_provider_strategy")
	s.capacity_provider in fargate_providers
}

# known_not_fargate(svc) holds when the service is known to run on EC2 or external instances: a non-Fargate
# launch type, or a capacity provider strategy none of whose providers is Fargate. A service whose launch type
# and strategy are both absent is unknown, and is treated as possibly Fargate.
known_not_fargate(svc) if {
	object.get(svc.attributes, "launch_type", null) in {"EC2", "EXTERNAL"}
	not is_fargate(svc)
}

known_not_fargate(svc) if {
	object.get(svc.attributes, "launch_type", "") in {"", null}
	strategy := aws.blocks(svc.attributes, "capacity_provider_strategy")
	count(strategy) > 0
	not is_fargate(svc)
}

# containers(td) is the list of container definitions of a task definition: `container_definitions` parsed
# from its JSON string (or taken as is when already an array). Undefined when absent or not valid JSON, so
# that callers can tell "unknown" from "no containers".
containers(td) := container_definitions[td.id]

# The parsed container definitions of every task definition in the input, by id: parsed once per evaluation
# however many times a rule asks (json.unmarshal is the costly part).
container_definitions[td.id] := cs if {
	some td in task_definitions
	cs := parse_containers(td)
}

parse_containers(td) := cs if {
	raw := object.get(td.attributes, "container_definitions", null)
	is_string(raw)
	json.is_valid(raw)
	cs := json.unmarshal(raw)
	is_array(cs)
} else := cs if {
	cs := object.get(td.attributes, "container_definitions", null)
	is_array(cs)
}

# container_label(c) names a container for messages (its name, else its image, else "?").
container_label(c) := c.name if {
	non_empty(c.name)
} else := c.image if {
	non_empty(c.image)
} else := "?"

# family(td) / revision(td): a task definition's family and revision (revision undefined when unknown, as in a
# plan before the definition is registered).
family(td) := f if {
	f := object.get(td.attributes, "family", null)
	non_empty(f)
} else := f if {
	# arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>
	f := split(last_segment(td.id), ":")[0]
}

revision(td) := r if {
	r := object.get(td.attributes, "revision", null)
	is_number(r)
}

# revisions_by_family maps "account|region|family" to the revisions the inventory holds, latest_revision to
# the highest of them (both built once per evaluation).
family_key(td) := concat("|", [td.account, td.region, family(td)])

revisions_by_family[key] contains r if {
	some td in task_definitions
	r := revision(td)
	key := family_key(td)
}

latest_revision[key] := max(rs) if {
	some key, rs in revisions_by_family
}

# is_current(td) holds for the revision of its family that new tasks use: not INACTIVE (deregistered), and
# the latest revision of the family the inventory holds (a revision that is unknown counts as current).
is_current(td) if {
	not object.get(td.attributes, "status", "ACTIVE") == "INACTIVE"
	not superseded(td)
}

superseded(td) if revision(td) < latest_revision[family_key(td)]
