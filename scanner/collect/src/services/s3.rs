//! S3: buckets with their public access blocks, policies and policy status, and the account-level public
//! access block (S3 Control). "Not configured" answers (NoSuchPublicAccessBlockConfiguration,
//! NoSuchBucketPolicy) are data, not errors.
use super::{Collector, Placement};
use crate::scope::{service_code, Scope};
use serde_json::json;
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "s3",
    placement: Placement::Global,
    types: &[
        "aws_s3_bucket",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_policy",
        "aws_s3_account_public_access_block",
    ],
    actions: &[
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketPolicy",
        "s3:GetBucketPolicyStatus",
        "s3:GetAccountPublicAccessBlock",
    ],
};

const NOT_CONFIGURED: &[&str] = &["NoSuchPublicAccessBlockConfiguration", "NoSuchBucketPolicy"];

fn is_not_configured(code: Option<String>) -> bool {
    code.is_some_and(|x| NOT_CONFIGURED.contains(&x.as_str()))
}

/// S3 Control endpoint for an endpoint override: the SDK would prefix the account id to the host
/// (`123456789012.127.0.0.1`), which resolves nowhere but on AWS.
#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}

async fn account_block(s: &Scope) {
    let mut b = aws_sdk_s3control::config::Builder::from(&s.sdk)
        .interceptor(crate::calls::Recorder(s.calls.clone()));
    if let Some(url) = &s.endpoint_override {
        b = b.endpoint_resolver(FixedEndpoint(url.clone()));
    }
    let c = aws_sdk_s3control::Client::from_conf(b.build());
    let id = format!("arn:aws:s3::{}:account-public-access-block", s.account);
    match c
        .get_public_access_block()
        .account_id(&s.account)
        .send()
        .await
    {
        Ok(out) => {
            if let Some(p) = out.public_access_block_configuration() {
                s.push(
                    "aws_s3_account_public_access_block",
                    id,
                    None,
                    json!({
                        "account_id": s.account,
                        "block_public_acls": p.block_public_acls(),
                        "block_public_policy": p.block_public_policy(),
                        "ignore_public_acls": p.ignore_public_acls(),
                        "restrict_public_buckets": p.restrict_public_buckets(),
                    }),
                    BTreeMap::new(),
                );
            }
        }
        Err(e) if is_not_configured(service_code(&e)) => {}
        Err(e) => s.error(
            "s3",
            "GetAccountPublicAccessBlock",
            &["aws_s3_account_public_access_block"],
            None,
            &e,
        ),
    }
}

/// One S3 client per bucket region, shared by every bucket there (one connection pool per region, not
/// one per bucket).
struct RegionalClients {
    conf: aws_sdk_s3::Config,
    by_region: std::sync::Mutex<BTreeMap<String, aws_sdk_s3::Client>>,
}

impl RegionalClients {
    fn for_region(&self, region: &str) -> aws_sdk_s3::Client {
        let make = || {
            aws_sdk_s3::Client::from_conf(
                self.conf
                    .to_builder()
                    .region(aws_types::region::Region::new(region.to_string()))
                    .build(),
            )
        };
        match self.by_region.lock() {
            Ok(mut m) => m.entry(region.to_string()).or_insert_with(make).clone(),
            Err(_) => make(),
        }
    }
}

pub async fn collect(s: &Scope) {
    account_block(s).await;
    let mut b = aws_sdk_s3::config::Builder::from(&s.sdk)
        .interceptor(crate::calls::Recorder(s.calls.clone()));
    if s.endpoint_override.is_some() {
        b = b.force_path_style(true);
    }
    let conf = b.build();
    let c = aws_sdk_s3::Client::from_conf(conf.clone());
    let clients = std::sync::Arc::new(RegionalClients {
        conf,
        by_region: std::sync::Mutex::new(BTreeMap::new()),
    });
    let mut buckets = Vec::new();
    // With any parameter, AWS adds each bucket's region (BucketRegion) to the listing, which spares a
    // GetBucketLocation per bucket; 10,000 is the largest page.
    let mut pages = c.list_buckets().max_buckets(10000).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => buckets.extend(out.buckets().iter().filter_map(|b| {
                Some((b.name()?.to_string(), b.bucket_region().map(str::to_string)))
            })),
            Err(e) => {
                s.error(
                    "s3",
                    "ListAllMyBuckets",
                    &[
                        "aws_s3_bucket",
                        "aws_s3_bucket_public_access_block",
                        "aws_s3_bucket_policy",
                    ],
                    None,
                    &e,
                );
                return;
            }
        }
    }
    let default_region = s
        .sdk
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".into());
    let fetched = s
        .each(buckets, |(name, region)| {
            let clients = clients.clone();
            let c = c.clone();
            let default_region = default_region.clone();
            async move {
                let mut errors = Vec::new();
                let region = match region {
                    Some(r) => r,
                    None => match c.get_bucket_location().bucket(&name).send().await {
                        Ok(out) => out
                            .location_constraint()
                            .map(|l| l.as_str().to_string())
                            .filter(|l| !l.is_empty())
                            .unwrap_or_else(|| "us-east-1".into()),
                        Err(e) => {
                            errors.push((
                                "GetBucketLocation",
                                vec!["aws_s3_bucket"],
                                crate::scope::classify(&e),
                            ));
                            default_region
                        }
                    },
                };
                // Calls go to the bucket's own region.
                let rc = clients.for_region(&region);
                let pab = match rc.get_public_access_block().bucket(&name).send().await {
                    Ok(out) => out.public_access_block_configuration().map(|p| {
                        json!({
                            "bucket": name,
                            "block_public_acls": p.block_public_acls(),
                            "block_public_policy": p.block_public_policy(),
                            "ignore_public_acls": p.ignore_public_acls(),
                            "restrict_public_buckets": p.restrict_public_buckets(),
                        })
                    }),
                    Err(e) if is_not_configured(service_code(&e)) => None,
                    Err(e) => {
                        errors.push((
                            "GetBucketPublicAccessBlock",
                            vec!["aws_s3_bucket_public_access_block"],
                            crate::scope::classify(&e),
                        ));
                        None
                    }
                };
                let policy = match rc.get_bucket_policy().bucket(&name).send().await {
                    Ok(out) => out.policy().map(str::to_string),
                    Err(e) if is_not_configured(service_code(&e)) => None,
                    Err(e) => {
                        errors.push((
                            "GetBucketPolicy",
                            vec!["aws_s3_bucket_policy"],
                            crate::scope::classify(&e),
                        ));
                        None
                    }
                };
                let is_public = match rc.get_bucket_policy_status().bucket(&name).send().await {
                    Ok(out) => out.policy_status().and_then(|p| p.is_public()),
                    Err(e) if is_not_configured(service_code(&e)) => Some(false),
                    Err(e) => {
                        errors.push((
                            "GetBucketPolicyStatus",
                            vec!["aws_s3_bucket"],
                            crate::scope::classify(&e),
                        ));
                        None
                    }
                };
                (name, region, pab, policy, is_public, errors)
            }
        })
        .await;
    for (name, region, pab, policy, is_public, errors) in fetched {
        let arn = format!("arn:aws:s3:::{name}");
        for (op, types, (code, message, kind)) in errors {
            s.record("s3", op, &types, Some(&arn), code, message, kind);
        }
        if let Some(p) = pab {
            s.push_in(
                &region,
                "aws_s3_bucket_public_access_block",
                format!("{arn}/public-access-block"),
                None,
                p,
                BTreeMap::new(),
            );
        }
        if let Some(p) = policy {
            s.push_in(
                &region,
                "aws_s3_bucket_policy",
                format!("{arn}/policy"),
                None,
                json!({"bucket": name, "policy": p}),
                BTreeMap::new(),
            );
        }
        s.push_in(&region, "aws_s3_bucket", arn, Some(name.clone()), json!({"bucket": name, "arn": format!("arn:aws:s3:::{name}"), "policy_is_public": is_public}), BTreeMap::new());
    }
}
