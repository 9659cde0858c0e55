//! Counts and records every AWS API call palisade makes, through an SDK interceptor on every client:
//! the summary line reports the count, and the least-privilege test compares the recorded operations
//! with the shipped IAM policy.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Every operation called (as `service:Operation`, the SDK's service and operation names) and counts.
#[derive(Debug, Default)]
pub struct CallLog {
    calls: AtomicU64,
    attempts: AtomicU64,
    operations: Mutex<BTreeMap<String, u64>>,
}

impl CallLog {
    /// Operations (one per call, retries not counted).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
    /// HTTP attempts, retries included.
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Relaxed)
    }
    /// Retries = attempts beyond the first of each call.
    pub fn retries(&self) -> u64 {
        self.attempts().saturating_sub(self.calls())
    }
    /// `service:Operation` → number of calls.
    pub fn operations(&self) -> BTreeMap<String, u64> {
        self.operations
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default()
    }
}

/// The interceptor that feeds a [`CallLog`].
#[derive(Debug, Clone)]
pub struct Recorder(pub Arc<CallLog>);

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "palisade-call-recorder"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.calls.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn read_after_execution(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(m) = cfg.load::<Metadata>() {
            let key = format!("{}:{}", m.service(), m.name());
            if let Ok(mut ops) = self.0.operations.lock() {
                *ops.entry(key).or_insert(0) += 1;
            }
        }
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.attempts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// The IAM action that authorizes an SDK operation (`Metadata` service and operation names).
pub fn iam_action(service: &str, operation: &str) -> String {
    // The SDK's metadata names services by their model name ("Elastic Load Balancing v2"); normalize.
    let svc: String = service
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    match (svc.as_str(), operation) {
        ("s3", "ListBuckets") => "s3:ListAllMyBuckets".into(),
        ("s3", "GetPublicAccessBlock") => "s3:GetBucketPublicAccessBlock".into(),
        ("s3control", "GetPublicAccessBlock") => "s3:GetAccountPublicAccessBlock".into(),
        ("s3control", op) => format!("s3:{op}"),
        (s, op) if s.starts_with("elasticloadbalancing") => format!("elasticloadbalancing:{op}"),
        (s, op) if s.starts_with("cognitoidentityprovider") => format!("cognito-idp:{op}"),
        ("cloudwatchlogs", op) => format!("logs:{op}"),
        ("applicationautoscaling", op) => format!("application-autoscaling:{op}"),
        (s, op) => format!("{s}:{op}"),
    }
}

/// Whether an action only reads configuration (the scanner must never call anything else).
pub fn is_read_only(action: &str) -> bool {
    let op = action.split(':').nth(1).unwrap_or("");
    // BatchGet* (CodeBuild projects) describes up to 100 resources per call.
    let reads = ["Describe", "List", "Get", "BatchGet"];
    reads.iter().any(|p| op.starts_with(p)) && !FORBIDDEN.contains(&action)
}

/// Reads that expose secret values or data rather than configuration: never called.
pub const FORBIDDEN: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "s3:GetObject",
    "kms:Decrypt",
    "iam:GetCredentialReport",
    "rds:DownloadDBLogFilePortion",
];

#[cfg(test)]
mod tests {
    use super::{iam_action, is_read_only};

    #[test]
    fn sdk_service_names_map_to_iam_prefixes() {
        for (svc, op, want) in [
            (
                "CloudWatch Logs",
                "DescribeLogGroups",
                "logs:DescribeLogGroups",
            ),
            (
                "Application Auto Scaling",
                "DescribeScalableTargets",
                "application-autoscaling:DescribeScalableTargets",
            ),
            ("CloudWatch", "DescribeAlarms", "cloudwatch:DescribeAlarms"),
            ("XRay", "GetSamplingRules", "xray:GetSamplingRules"),
            (
                "synthetics",
                "DescribeCanaries",
                "synthetics:DescribeCanaries",
            ),
            (
                "CodeBuild",
                "BatchGetProjects",
                "codebuild:BatchGetProjects",
            ),
            (
                "ElastiCache",
                "DescribeReplicationGroups",
                "elasticache:DescribeReplicationGroups",
            ),
            (
                "Elastic Load Balancing v2",
                "DescribeListeners",
                "elasticloadbalancing:DescribeListeners",
            ),
            (
                "S3 Control",
                "GetPublicAccessBlock",
                "s3:GetAccountPublicAccessBlock",
            ),
        ] {
            assert_eq!(iam_action(svc, op), want);
        }
    }

    #[test]
    fn reads_are_describe_list_get_batchget_and_never_secret_values() {
        assert!(is_read_only("codebuild:BatchGetProjects"));
        assert!(is_read_only("ecs:DescribeServices"));
        assert!(!is_read_only("secretsmanager:GetSecretValue"));
        assert!(!is_read_only("secretsmanager:BatchGetSecretValue"));
        assert!(!is_read_only("ecs:UpdateService"));
    }
}
