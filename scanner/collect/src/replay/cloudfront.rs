//! Replay tests of the CloudFront collector.
use super::{xml_after, Answer, Collected, Replay};
use crate::services::cloudfront::collect;
use palisade_model::{ErrorKind, Resource};
use serde_json::json;

const T: &str = "aws_cloudfront_distribution";

async fn run(r: &Replay) -> Collected {
    let s = r.scope("global");
    collect(&s).await;
    r.finish(&s)
}

/// The distribution whose comment is `comment` (the seeder's stack name).
fn by_comment<'a>(c: &'a Collected, comment: &str) -> &'a Resource {
    let v: Vec<&Resource> = c
        .of_type(T)
        .into_iter()
        .filter(|d| d.attributes["comment"] == json!(comment))
        .collect();
    assert_eq!(v.len(), 1);
    v[0]
}

#[tokio::test]
async fn maps_distributions_with_every_cache_behaviour() {
    let r = Replay::load("cloudfront");
    let list = r
        .recorded(|q| q.path == "/2020-05-31/distribution?MaxItems=1000")
        .body
        .text();
    let c = run(&r).await;
    c.assert_no_errors();
    assert!(r.unused().is_empty(), "unused: {:?}", r.unused());
    assert_eq!(c.of_type(T).len(), 2);

    let app = by_comment(&c, "app");
    let id = app.attributes["id"].as_str().unwrap();
    assert_eq!(
        app.id,
        format!("arn:aws:cloudfront::123456789012:distribution/{id}")
    );
    assert_eq!(app.attributes["arn"], json!(app.id));
    assert_eq!(app.name.as_deref(), Some(id));
    assert_eq!(app.region, "global");
    assert_eq!(
        app.attributes["domain_name"],
        json!(xml_after(&list, &format!("<Id>{id}</Id>"), "DomainName"))
    );
    let a = &app.attributes;
    assert_eq!(a["enabled"], json!(true));
    assert_eq!(a["aliases"], json!(["app.example.com"]));
    assert_eq!(a["default_root_object"], json!("index.html"));
    assert_eq!(a["http_version"], json!("http2and3"));
    assert!(a["web_acl_id"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:wafv2:us-east-1:123456789012:global/webacl/app-edge-acl/"));
    // TLS: custom certificate, TLSv1.2_2021, SNI (CF-02).
    let vc = &a["viewer_certificate"][0];
    assert_eq!(vc["cloudfront_default_certificate"], json!(false));
    assert_eq!(vc["minimum_protocol_version"], json!("TLSv1.2_2021"));
    assert_eq!(vc["ssl_support_method"], json!("sni-only"));
    assert!(vc["acm_certificate_arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:acm:us-east-1:123456789012:certificate/"));
    // HTTPS on the default AND every ordered cache behaviour (CF-01).
    assert_eq!(
        a["default_cache_behavior"],
        json!([{"target_origin_id": "s3-app-static-assets", "viewer_protocol_policy": "redirect-to-https"}])
    );
    assert_eq!(
        a["ordered_cache_behavior"],
        json!([
            {"path_pattern": "/api/*", "target_origin_id": "alb-app", "viewer_protocol_policy": "https-only"},
            {"path_pattern": "/auth/*", "target_origin_id": "alb-app", "viewer_protocol_policy": "redirect-to-https"},
        ])
    );
    // Origins: TLS 1.2 only to the ALB (CF-04); moto drops the S3 origin's OAC (see seed.py).
    let origins = a["origin"].as_array().unwrap();
    assert_eq!(origins.len(), 2);
    assert_eq!(
        origins[1],
        json!({
            "origin_id": "alb-app", "domain_name": "app-alb-1.us-east-1.elb.amazonaws.com", "origin_path": "",
            "custom_origin_config": [{"origin_protocol_policy": "https-only", "http_port": 80, "https_port": 443, "origin_ssl_protocols": ["TLSv1.2"]}],
        })
    );
    assert_eq!(origins[0]["origin_id"], json!("s3-app-static-assets"));
    assert!(origins[0].get("origin_access_control_id").is_none());
    // Logging (CF-05).
    assert_eq!(
        a["logging_config"],
        json!([{"bucket": "app-logs.s3.amazonaws.com", "include_cookies": false, "prefix": "cloudfront/"}])
    );

    let legacy = by_comment(&c, "legacy");
    let a = &legacy.attributes;
    assert_eq!(a["web_acl_id"], json!(""));
    assert_eq!(a["default_root_object"], json!(""));
    assert_eq!(a["logging_config"], json!([]));
    assert_eq!(a["http_version"], json!("http2"));
    let vc = &a["viewer_certificate"][0];
    assert_eq!(vc["cloudfront_default_certificate"], json!(true));
    assert_eq!(vc["minimum_protocol_version"], json!("TLSv1"));
    // An empty <ACMCertificateArn/> is an empty string, as in Terraform.
    assert_eq!(vc["acm_certificate_arn"], json!(""));
    assert_eq!(vc["ssl_support_method"], json!("vip"));
    let api = a["ordered_cache_behavior"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["path_pattern"] == json!("/api/*"))
        .unwrap();
    assert_eq!(api["viewer_protocol_policy"], json!("allow-all"));
    assert_eq!(a["ordered_cache_behavior"].as_array().unwrap().len(), 3);
    let alb = a["origin"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["origin_id"] == json!("alb-legacy"))
        .unwrap();
    assert_eq!(
        alb["custom_origin_config"][0]["origin_protocol_policy"],
        json!("http-only")
    );
    assert_eq!(
        alb["custom_origin_config"][0]["origin_ssl_protocols"],
        json!(["SSLv3", "TLSv1"])
    );
}

#[tokio::test]
async fn a_denied_distribution_is_an_error_and_the_other_is_collected() {
    let r = Replay::load("cloudfront");
    let paths: Vec<String> = r
        .exchanges()
        .iter()
        .map(|x| x.request.path.clone())
        .filter(|p| p.starts_with("/2020-05-31/distribution/"))
        .collect();
    assert_eq!(paths.len(), 2);
    let denied = paths[0].clone();
    let id = denied.rsplit('/').next().unwrap().to_string();
    let r = r.replace(
        move |q| q.path == denied,
        Answer::query_error(
            403,
            "AccessDenied",
            "User is not authorized to perform: cloudfront:GetDistribution",
        ),
    );
    let c = run(&r).await;
    assert_eq!(c.errors.len(), 1);
    let e = c.error("cloudfront:GetDistribution");
    assert_eq!(e.error_code, "AccessDenied");
    assert_eq!(e.kind, ErrorKind::AccessDenied);
    assert_eq!(e.region, "global");
    let arn = format!("arn:aws:cloudfront::123456789012:distribution/{id}");
    assert_eq!(e.resource_id.as_deref(), Some(arn.as_str()));
    assert_eq!(e.resource_types, vec![T.to_string()]);
    assert_eq!(c.of_type(T).len(), 1);
    assert_ne!(c.of_type(T)[0].id, arn);
}
