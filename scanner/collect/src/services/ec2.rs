//! EC2: security groups with their rules (Terraform's `ingress`/`egress` blocks), default groups, and which
//! network interfaces use which group.
use super::{Collector, Placement};
use crate::scope::{tags, Scope};
use aws_sdk_ec2::types::{IpPermission, SecurityGroup};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const TYPES: &[&str] = &["aws_security_group", "aws_default_security_group"];

pub const COLLECTOR: Collector = Collector {
    service: "ec2",
    placement: Placement::Regional,
    types: TYPES,
    actions: &[
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkInterfaces",
    ],
};

/// One IpPermission as a Terraform rule block.
pub fn permission(p: &IpPermission, self_id: &str) -> Value {
    let pairs: Vec<&str> = p
        .user_id_group_pairs()
        .iter()
        .filter_map(|g| g.group_id())
        .collect();
    json!({
        "protocol": p.ip_protocol().unwrap_or("-1"),
        "from_port": p.from_port().unwrap_or(0),
        "to_port": p.to_port().unwrap_or(0),
        "cidr_blocks": p.ip_ranges().iter().filter_map(|r| r.cidr_ip()).collect::<Vec<_>>(),
        "ipv6_cidr_blocks": p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6()).collect::<Vec<_>>(),
        "prefix_list_ids": p.prefix_list_ids().iter().filter_map(|r| r.prefix_list_id()).collect::<Vec<_>>(),
        "security_groups": pairs.iter().filter(|g| **g != self_id).collect::<Vec<_>>(),
        "self": pairs.contains(&self_id),
        "description": p.ip_ranges().iter().find_map(|r| r.description())
            .or_else(|| p.user_id_group_pairs().iter().find_map(|g| g.description())),
    })
}

/// Maps one security group; returns (type, id, name, attributes, tags).
pub fn map_group(
    g: &SecurityGroup,
    region: &str,
    account: &str,
    attached: &BTreeMap<String, Vec<String>>,
) -> (
    &'static str,
    String,
    Option<String>,
    Value,
    BTreeMap<String, String>,
) {
    let id = g.group_id().unwrap_or_default();
    let owner = g.owner_id().unwrap_or(account);
    let arn = g
        .security_group_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{region}:{owner}:security-group/{id}"));
    let is_default = g.group_name() == Some("default");
    let attrs = json!({
        "id": id,
        "arn": arn,
        "name": g.group_name(),
        "description": g.description(),
        "vpc_id": g.vpc_id(),
        "owner_id": g.owner_id(),
        "ingress": g.ip_permissions().iter().map(|p| permission(p, id)).collect::<Vec<_>>(),
        "egress": g.ip_permissions_egress().iter().map(|p| permission(p, id)).collect::<Vec<_>>(),
        "is_default": is_default,
        "attached_to": attached.get(id).cloned().unwrap_or_default(),
    });
    let t = if is_default {
        "aws_default_security_group"
    } else {
        "aws_security_group"
    };
    let tg = tags(g.tags().iter().map(|t| (t.key(), t.value())));
    (t, arn, g.group_name().map(str::to_string), attrs, tg)
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_ec2, s);
    let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pages = c.describe_network_interfaces().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for ni in out.network_interfaces() {
                    let who = ni
                        .attachment()
                        .and_then(|a| a.instance_id())
                        .or(ni.description())
                        .or(ni.network_interface_id())
                        .unwrap_or_default()
                        .to_string();
                    for g in ni.groups() {
                        if let Some(gid) = g.group_id() {
                            attached
                                .entry(gid.to_string())
                                .or_default()
                                .push(who.clone());
                        }
                    }
                }
            }
            Err(e) => {
                // Attachment is evidence only: no rule reads it, so its failure does not make rules ERROR.
                s.error(
                    "ec2",
                    "DescribeNetworkInterfaces",
                    &["aws_network_interface"],
                    None,
                    &e,
                );
                break;
            }
        }
    }
    for v in attached.values_mut() {
        v.sort();
        v.dedup();
    }
    let mut pages = c.describe_security_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => {
                for g in out.security_groups() {
                    let (t, id, name, attrs, tg) = map_group(g, &s.region, &s.account, &attached);
                    s.push(t, id, name, attrs, tg);
                }
            }
            Err(e) => {
                s.error("ec2", "DescribeSecurityGroups", TYPES, None, &e);
                return;
            }
        }
    }
}
