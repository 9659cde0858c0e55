//! Replay tests of the S3 collector (S3 and the S3 Control account public access block).
use super::{Answer, Collected, Replay};
use crate::services::s3::collect;
use palisade_model::ErrorKind;
use serde_json::json;

const BUCKET: &str = "aws_s3_bucket";
const PAB: &str = "aws_s3_bucket_public_access_block";
const POLICY: &str = "aws_s3_bucket_policy";
const ACCOUNT_PAB: &str = "aws_s3_account_public_access_block";
const ACCOUNT_PAB_PATH: &str = "/v20180820/configuration/publicAccessBlock";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("global");
    collect(&s).await;
    r.finish(&s)
}

fn path(p: &'static str) -> impl Fn(&super::Req) -> bool {
    move |q| q.path == p
}

#[tokio::test]
async fn maps_buckets_blocks_and_policies() {
    let r = Replay::load("s3");
    let recorded_policy = r
        .recorded(path("/legacy-public-assets/?policy"))
        .body
        .text();
    let c = run(&r).await;
    // legacy-public-assets has no public access block: NoSuchPublicAccessBlockConfiguration is data.
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());

    let acct = c.by_id("arn:aws:s3::123456789012:account-public-access-block");
    assert_eq!(acct.resource_type, ACCOUNT_PAB);
    assert_eq!(acct.region, "global");
    assert_eq!(
        acct.attributes,
        json!({
            "account_id": "123456789012", "block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true,
        })
        .as_object()
        .unwrap()
        .clone()
    );

    assert_eq!(
        c.ids(BUCKET),
        vec![
            "arn:aws:s3:::app-logs".to_string(),
            "arn:aws:s3:::app-static-assets".to_string(),
            "arn:aws:s3:::legacy-public-assets".to_string(),
        ]
    );
    // An empty LocationConstraint is us-east-1: buckets are reported in their own region.
    assert!(c
        .resources
        .iter()
        .filter(|x| x.resource_type != ACCOUNT_PAB)
        .all(|x| x.region == "us-east-1"));
    let legacy = c.by_id("arn:aws:s3:::legacy-public-assets");
    assert_eq!(legacy.name.as_deref(), Some("legacy-public-assets"));
    assert_eq!(
        legacy.attributes,
        json!({"bucket": "legacy-public-assets", "arn": "arn:aws:s3:::legacy-public-assets", "policy_is_public": true})
            .as_object()
            .unwrap()
            .clone()
    );
    assert_eq!(
        c.by_id("arn:aws:s3:::app-static-assets").attributes["policy_is_public"],
        json!(false)
    );

    // Bucket public access blocks (S3-01): both app buckets, not the legacy one.
    assert_eq!(
        c.ids(PAB),
        vec![
            "arn:aws:s3:::app-logs/public-access-block".to_string(),
            "arn:aws:s3:::app-static-assets/public-access-block".to_string(),
        ]
    );
    assert_eq!(
        c.by_id("arn:aws:s3:::app-logs/public-access-block")
            .attributes,
        json!({
            "bucket": "app-logs", "block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true,
        })
        .as_object()
        .unwrap()
        .clone()
    );

    // Policies, verbatim (S3-02 reads the TLS-only statement).
    assert_eq!(c.of_type(POLICY).len(), 3);
    let p = c.by_id("arn:aws:s3:::legacy-public-assets/policy");
    assert_eq!(p.attributes["bucket"], json!("legacy-public-assets"));
    assert_eq!(p.attributes["policy"], json!(recorded_policy));
    let doc: serde_json::Value = serde_json::from_str(
        c.by_id("arn:aws:s3:::app-logs/policy").attributes["policy"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(doc["Statement"][1]["Sid"], json!("DenyInsecureTransport"));
    assert_eq!(
        doc["Statement"][1]["Condition"]["Bool"]["aws:SecureTransport"],
        json!("false")
    );
}

#[tokio::test]
async fn no_bucket_policy_is_data_not_an_error() {
    let r = Replay::load("s3")
        .replace(
            path("/app-logs/?policy"),
            Answer::s3_error(
                404,
                "NoSuchBucketPolicy",
                "The bucket policy does not exist",
            ),
        )
        .replace(
            path("/app-logs/?policyStatus"),
            Answer::s3_error(
                404,
                "NoSuchBucketPolicy",
                "The bucket policy does not exist",
            ),
        );
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(c
        .of_type(POLICY)
        .iter()
        .all(|p| p.id != "arn:aws:s3:::app-logs/policy"));
    assert_eq!(c.of_type(POLICY).len(), 2);
    // No policy: not public.
    assert_eq!(
        c.by_id("arn:aws:s3:::app-logs").attributes["policy_is_public"],
        json!(false)
    );
}

#[tokio::test]
async fn a_denied_bucket_policy_is_an_error_on_that_bucket() {
    let r = Replay::load("s3").replace(
        path("/legacy-public-assets/?policy"),
        Answer::s3_error(403, "AccessDenied", "Access Denied"),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1, "{:#?}", c.errors);
    let e = c.error("s3:GetBucketPolicy");
    assert_eq!(e.service, "s3");
    assert_eq!(e.region, "global");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.message, "Access Denied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![POLICY.to_string()]);
    assert_eq!(
        e.resource_id.as_deref(),
        Some("arn:aws:s3:::legacy-public-assets")
    );
    // The bucket and its policy status are still collected; its policy is unknown, not absent-as-data.
    assert_eq!(
        c.by_id("arn:aws:s3:::legacy-public-assets").attributes["policy_is_public"],
        json!(true)
    );
    assert_eq!(
        c.ids(POLICY),
        vec![
            "arn:aws:s3:::app-logs/policy".to_string(),
            "arn:aws:s3:::app-static-assets/policy".to_string(),
        ]
    );
    assert_eq!(c.of_type(BUCKET).len(), 3);
    assert_eq!(c.of_type(PAB).len(), 2);
}

#[tokio::test]
async fn denied_listing_is_an_error_for_every_bucket_type_but_not_the_account_block() {
    let r = Replay::load("s3").replace(
        path("/?x-id=ListBuckets&max-buckets=10000"),
        Answer::s3_error(403, "AccessDenied", "Access Denied"),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("s3:ListAllMyBuckets");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(
        e.resource_types,
        vec![BUCKET.to_string(), PAB.to_string(), POLICY.to_string()]
    );
    assert_eq!(c.resources.len(), 1);
    assert_eq!(c.resources[0].resource_type, ACCOUNT_PAB);
}

#[tokio::test]
async fn the_account_block_not_configured_is_data_and_denied_is_an_error() {
    // S3 Control wraps its errors in <ErrorResponse> (S3 does not).
    let r = Replay::load("s3").replace(
        path(ACCOUNT_PAB_PATH),
        Answer::query_error(
            404,
            "NoSuchPublicAccessBlockConfiguration",
            "The public access block configuration was not found",
        ),
    );
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(c.of_type(ACCOUNT_PAB).is_empty());
    assert_eq!(c.of_type(BUCKET).len(), 3);

    let r = Replay::load("s3").replace(
        path(ACCOUNT_PAB_PATH),
        Answer::query_error(403, "AccessDenied", "Access Denied"),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("s3:GetAccountPublicAccessBlock");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![ACCOUNT_PAB.to_string()]);
    assert!(c.of_type(ACCOUNT_PAB).is_empty());
    assert_eq!(c.of_type(BUCKET).len(), 3);
}

#[tokio::test]
async fn a_denied_location_falls_back_to_the_default_region_with_an_error() {
    let r = Replay::load("s3").replace(
        path("/app-static-assets/?location"),
        Answer::s3_error(403, "AccessDenied", "Access Denied"),
    );
    let c = run(&r).await;
    let e = c.error("s3:GetBucketLocation");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.resource_types, vec![BUCKET.to_string()]);
    assert_eq!(
        e.resource_id.as_deref(),
        Some("arn:aws:s3:::app-static-assets")
    );
    assert_eq!(
        c.by_id("arn:aws:s3:::app-static-assets").region,
        "us-east-1"
    );
    assert_eq!(c.of_type(PAB).len(), 2);
}
