//! One file per AWS service. Each collector lists what palisade's policies read, fully paginated, maps it
//! to the inventory model (Terraform names, see docs/inventory.md) and records failed calls as collection
//! errors; none of them decides anything.

/// Builds a service client from a scope's SDK config, with the call recorder attached.
macro_rules! client {
    ($krate:ident, $scope:expr) => {{
        $krate::Client::from_conf(
            $krate::config::Builder::from(&$scope.sdk)
                .interceptor(crate::calls::Recorder($scope.calls.clone()))
                .build(),
        )
    }};
}

pub mod appautoscaling;
pub mod cloudfront;
pub mod cloudwatch;
pub mod codebuild;
pub mod codedeploy;
pub mod codepipeline;
pub mod cognito;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod elasticache;
pub mod elbv2;
pub mod iam;
pub mod logs;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod secretsmanager;
pub mod shield;
pub mod sns;
pub mod synthetics;
pub mod wafv2;
pub mod xray;

/// Where a collector runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Once per region.
    Regional,
    /// Once per account (the SDK region is us-east-1; resources are reported in `global` or their own region).
    Global,
}

/// A collector in the registry.
pub struct Collector {
    pub service: &'static str,
    pub placement: Placement,
    /// The resource types it produces.
    pub types: &'static [&'static str],
    /// The IAM actions it calls (the least-privilege policy must grant exactly these).
    pub actions: &'static [&'static str],
}

/// Every collector, in a fixed order.
pub const REGISTRY: &[Collector] = &[
    ec2::COLLECTOR,
    elbv2::COLLECTOR,
    rds::COLLECTOR,
    secretsmanager::COLLECTOR,
    cognito::COLLECTOR,
    wafv2::COLLECTOR,
    cloudfront::COLLECTOR,
    route53::COLLECTOR,
    shield::COLLECTOR,
    s3::COLLECTOR,
    iam::COLLECTOR,
    ecs::COLLECTOR,
    appautoscaling::COLLECTOR,
    ecr::COLLECTOR,
    elasticache::COLLECTOR,
    sns::COLLECTOR,
    logs::COLLECTOR,
    cloudwatch::COLLECTOR,
    synthetics::COLLECTOR,
    xray::COLLECTOR,
    codebuild::COLLECTOR,
    codepipeline::COLLECTOR,
    codedeploy::COLLECTOR,
];
