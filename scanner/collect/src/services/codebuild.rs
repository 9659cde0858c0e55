//! CodeBuild: build projects (ListProjects, then BatchGetProjects 100 names at a time) with their
//! environment, sources, artifacts, logs and VPC configuration, named as Terraform's
//! `aws_codebuild_project`. A PLAINTEXT environment variable's value is never kept: it goes through
//! [`variable_value`] (PARAMETER_STORE and SECRETS_MANAGER values are references and are kept), and so does
//! an inline buildspec or credentials written into a source URL.
use super::{Collector, Placement};
use crate::scope::{date, tags, Scope};
use aws_sdk_codebuild::types::{
    EnvironmentVariable, LogsConfig, Project, ProjectArtifacts, ProjectEnvironment, ProjectSource,
};
use palisade_model::redact::{buildspec, source_location, variable_value};
use serde_json::{json, Value};

pub const COLLECTOR: Collector = Collector {
    service: "codebuild",
    placement: Placement::Regional,
    types: &["aws_codebuild_project"],
    actions: &["codebuild:ListProjects", "codebuild:BatchGetProjects"],
};

/// BatchGetProjects takes at most 100 names.
const BATCH: usize = 100;

/// A build environment variable `{name, value, type}`, the value of a clear-text one redacted.
pub fn environment_variable(v: &EnvironmentVariable) -> Value {
    let t = v.r#type().map(|t| t.as_str());
    json!({"name": v.name(), "value": variable_value(t, v.value()), "type": t})
}

fn source(s: &ProjectSource) -> Value {
    json!({
        "type": s.r#type().as_str(),
        "location": s.location().map(source_location),
        "buildspec": s.buildspec().map(buildspec),
        "git_clone_depth": s.git_clone_depth(),
        "git_submodules_config": s.git_submodules_config().map(|g| vec![json!({"fetch_submodules": g.fetch_submodules()})]),
        "insecure_ssl": s.insecure_ssl(),
        "report_build_status": s.report_build_status(),
        "source_identifier": s.source_identifier(),
    })
}

fn artifacts(a: &ProjectArtifacts) -> Value {
    json!({
        "type": a.r#type().as_str(),
        "location": a.location(),
        "name": a.name(),
        "path": a.path(),
        "namespace_type": a.namespace_type().map(|x| x.as_str()),
        "packaging": a.packaging().map(|x| x.as_str()),
        "encryption_disabled": a.encryption_disabled(),
        "override_artifact_name": a.override_artifact_name(),
        "artifact_identifier": a.artifact_identifier(),
        "bucket_owner_access": a.bucket_owner_access().map(|x| x.as_str()),
    })
}

fn environment(e: &ProjectEnvironment) -> Value {
    json!({
        "compute_type": e.compute_type().as_str(),
        "image": e.image(),
        "type": e.r#type().as_str(),
        "privileged_mode": e.privileged_mode(),
        "image_pull_credentials_type": e.image_pull_credentials_type().map(|x| x.as_str()),
        "certificate": e.certificate(),
        "registry_credential": e.registry_credential().map(|r| vec![json!({
            "credential": r.credential(),
            "credential_provider": r.credential_provider().as_str(),
        })]),
        "environment_variable": e.environment_variables().iter().map(environment_variable).collect::<Vec<_>>(),
    })
}

fn logs(l: &LogsConfig) -> Value {
    json!({
        "cloudwatch_logs": l.cloud_watch_logs().map(|cw| vec![json!({
            "status": cw.status().as_str(),
            "group_name": cw.group_name(),
            "stream_name": cw.stream_name(),
        })]),
        "s3_logs": l.s3_logs().map(|s| vec![json!({
            "status": s.status().as_str(),
            "location": s.location(),
            "encryption_disabled": s.encryption_disabled(),
            "bucket_owner_access": s.bucket_owner_access().map(|x| x.as_str()),
        })]),
    })
}

/// A project as Terraform's `aws_codebuild_project` (nested blocks as one-element lists).
pub fn project(p: &Project) -> Value {
    json!({
        "arn": p.arn(),
        "name": p.name(),
        "description": p.description(),
        "service_role": p.service_role(),
        "encryption_key": p.encryption_key(),
        "build_timeout": p.timeout_in_minutes(),
        "queued_timeout": p.queued_timeout_in_minutes(),
        "concurrent_build_limit": p.concurrent_build_limit(),
        "project_visibility": p.project_visibility().map(|x| x.as_str()),
        "badge_enabled": p.badge().map(|b| b.badge_enabled()),
        "source_version": p.source_version(),
        "source": p.source().map(|s| vec![source(s)]),
        "secondary_sources": p.secondary_sources().iter().map(source).collect::<Vec<_>>(),
        "artifacts": p.artifacts().map(|a| vec![artifacts(a)]),
        "secondary_artifacts": p.secondary_artifacts().iter().map(artifacts).collect::<Vec<_>>(),
        "cache": p.cache().map(|cache| vec![json!({
            "type": cache.r#type().as_str(),
            "location": cache.location(),
            "modes": cache.modes().iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        })]),
        "environment": p.environment().map(|e| vec![environment(e)]),
        "logs_config": p.logs_config().map(|l| vec![logs(l)]),
        "vpc_config": p.vpc_config().map(|v| vec![json!({
            "vpc_id": v.vpc_id(),
            "subnets": v.subnets(),
            "security_group_ids": v.security_group_ids(),
        })]),
        "created": date(p.created()),
        "last_modified": date(p.last_modified()),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_codebuild, s);
    let mut names: Vec<String> = Vec::new();
    let mut pages = c.list_projects().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => names.extend(out.projects().iter().cloned()),
            Err(e) => {
                s.error("codebuild", "ListProjects", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    let batches: Vec<Vec<String>> = names.chunks(BATCH).map(<[String]>::to_vec).collect();
    let fetched = s
        .each(batches, |batch| {
            let c = c.clone();
            async move { c.batch_get_projects().set_names(Some(batch)).send().await }
        })
        .await;
    for r in fetched {
        match r {
            // Names in `projects_not_found` were deleted after ListProjects: nothing to report.
            Ok(out) => {
                for p in out.projects() {
                    let tg = tags(p.tags().iter().map(|t| (t.key(), t.value())));
                    s.push(
                        "aws_codebuild_project",
                        p.arn().unwrap_or_default(),
                        p.name().map(str::to_string),
                        project(p),
                        tg,
                    );
                }
            }
            // One call covers up to 100 projects: the error is for the type, not for one resource.
            Err(e) => s.error("codebuild", "BatchGetProjects", COLLECTOR.types, None, &e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use aws_sdk_codebuild::types::{
        ArtifactsType, CloudWatchLogsConfig, ComputeType, EnvironmentType, EnvironmentVariableType,
        ImagePullCredentialsType, LogsConfigStatusType, SourceType,
    };

    fn var(name: &str, value: &str, t: Option<EnvironmentVariableType>) -> EnvironmentVariable {
        EnvironmentVariable::builder()
            .name(name)
            .value(value)
            .set_type(t)
            .build()
            .unwrap()
    }

    fn legacy_build() -> Project {
        let env = ProjectEnvironment::builder()
            .r#type(EnvironmentType::LinuxContainer)
            .image("aws/codebuild/amazonlinux2-x86_64-standard:5.0")
            .compute_type(ComputeType::BuildGeneral1Medium)
            .privileged_mode(true)
            .image_pull_credentials_type(ImagePullCredentialsType::Codebuild)
            .environment_variables(var(
                "DOCKERHUB_PASSWORD",
                "Dockerhub-Legacy-2019",
                Some(EnvironmentVariableType::Plaintext),
            ))
            .environment_variables(var(
                "AWS_ACCESS_KEY_ID",
                "AKIAIOSFODNN7EXAMPLE",
                Some(EnvironmentVariableType::Plaintext),
            ))
            .environment_variables(var(
                "SONAR_TOKEN",
                "ci/sonar-token",
                Some(EnvironmentVariableType::SecretsManager),
            ))
            .environment_variables(var(
                "NPM_TOKEN",
                "/ci/npm-token",
                Some(EnvironmentVariableType::ParameterStore),
            ))
            .environment_variables(var("UNTYPED", "hunter2", None))
            .build()
            .unwrap();
        Project::builder()
            .name("legacy-build")
            .arn("arn:aws:codebuild:us-east-1:123456789012:project/legacy-build")
            .description("Legacy image build")
            .service_role("arn:aws:iam::123456789012:role/legacy-build-codebuild")
            .encryption_key("arn:aws:kms:us-east-1:123456789012:alias/aws/s3")
            .timeout_in_minutes(60)
            .source(
                ProjectSource::builder()
                    .r#type(SourceType::Codepipeline)
                    .buildspec("buildspec.yml")
                    .build()
                    .unwrap(),
            )
            .secondary_sources(
                ProjectSource::builder()
                    .r#type(SourceType::Github)
                    .location("https://ci:ghp_secret@github.com/example/legacy.git")
                    .buildspec("version: 0.2\nenv:\n  variables:\n    PASSWORD: hunter2\n")
                    .build()
                    .unwrap(),
            )
            .artifacts(
                ProjectArtifacts::builder()
                    .r#type(ArtifactsType::Codepipeline)
                    .build()
                    .unwrap(),
            )
            .environment(env)
            .logs_config(
                LogsConfig::builder()
                    .cloud_watch_logs(
                        CloudWatchLogsConfig::builder()
                            .status(LogsConfigStatusType::Enabled)
                            .group_name("/aws/codebuild/legacy-build")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
    }

    #[test]
    fn maps_a_project_and_never_keeps_a_clear_text_value() {
        let v = project(&legacy_build());
        let v = crate::scope::clean(v);
        assert_eq!(
            v,
            json!({
                "arn": "arn:aws:codebuild:us-east-1:123456789012:project/legacy-build",
                "name": "legacy-build",
                "description": "Legacy image build",
                "service_role": "arn:aws:iam::123456789012:role/legacy-build-codebuild",
                "encryption_key": "arn:aws:kms:us-east-1:123456789012:alias/aws/s3",
                "build_timeout": 60,
                "source": [{"type": "CODEPIPELINE", "buildspec": "buildspec.yml"}],
                "secondary_sources": [{
                    "type": "GITHUB",
                    "location": "https://(redacted)@github.com/example/legacy.git",
                    "buildspec": "(redacted)",
                }],
                "artifacts": [{"type": "CODEPIPELINE"}],
                "secondary_artifacts": [],
                "environment": [{
                    "compute_type": "BUILD_GENERAL1_MEDIUM",
                    "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                    "type": "LINUX_CONTAINER",
                    "privileged_mode": true,
                    "image_pull_credentials_type": "CODEBUILD",
                    "environment_variable": [
                        {"name": "DOCKERHUB_PASSWORD", "value": "(redacted)", "type": "PLAINTEXT"},
                        {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAXXXXXXXXXXXXXXXX", "type": "PLAINTEXT"},
                        {"name": "SONAR_TOKEN", "value": "ci/sonar-token", "type": "SECRETS_MANAGER"},
                        {"name": "NPM_TOKEN", "value": "/ci/npm-token", "type": "PARAMETER_STORE"},
                        {"name": "UNTYPED", "value": "(redacted)"},
                    ],
                }],
                "logs_config": [{"cloudwatch_logs": [{"status": "ENABLED", "group_name": "/aws/codebuild/legacy-build"}]}],
            })
        );
        let text = v.to_string();
        for secret in [
            "Dockerhub-Legacy-2019",
            "AKIAIOSFODNN7EXAMPLE",
            "hunter2",
            "ghp_secret",
        ] {
            assert!(!text.contains(secret), "{secret} kept in {text}");
        }
    }

    #[test]
    fn keeps_file_buildspecs_and_plain_urls() {
        assert_eq!(buildspec("ci/buildspec.yml"), "ci/buildspec.yml");
        assert_eq!(
            buildspec("arn:aws:s3:::bucket/buildspec.yml"),
            "arn:aws:s3:::bucket/buildspec.yml"
        );
        assert_eq!(buildspec("{\"version\": \"0.2\"}"), "(redacted)");
        assert_eq!(
            source_location("https://github.com/example/app.git"),
            "https://github.com/example/app.git"
        );
        assert_eq!(
            source_location("git@github.com:example/app.git"),
            "git@github.com:example/app.git"
        );
        assert_eq!(source_location("bucket/key.zip"), "bucket/key.zip");
    }
}
