//! CodePipeline: every pipeline (ListPipelines, then GetPipeline for its structure) with its stages and
//! actions, variables and artifact stores, named as Terraform's `aws_codepipeline`. Clear-text values are
//! never kept: a pipeline variable's default value, the PLAINTEXT values of an action's
//! `EnvironmentVariables` configuration (a JSON string, re-serialized with them redacted) and of a Commands
//! action's environment variables all go through [`redact_value`].
use super::{Collector, Placement};
use crate::scope::{date, redact_value, service_code, Scope};
use aws_sdk_codepipeline::types::{
    ActionDeclaration, ArtifactStore, EnvironmentVariable, PipelineDeclaration, PipelineMetadata,
    PipelineVariableDeclaration, StageDeclaration,
};
use palisade_model::redact::{
    environment_variables as redact_environment_variables, variable_value,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const COLLECTOR: Collector = Collector {
    service: "codepipeline",
    placement: Placement::Regional,
    types: &["aws_codepipeline"],
    actions: &["codepipeline:ListPipelines", "codepipeline:GetPipeline"],
};

/// An action's configuration as a map of strings, `EnvironmentVariables` redacted.
fn configuration(a: &ActionDeclaration) -> Option<Map<String, Value>> {
    a.configuration().map(|cfg| {
        cfg.iter()
            .map(|(k, v)| {
                let v = if k == "EnvironmentVariables" {
                    redact_environment_variables(v)
                } else {
                    v.clone()
                };
                (k.clone(), Value::String(v))
            })
            .collect()
    })
}

fn environment_variable(v: &EnvironmentVariable) -> Value {
    let t = v.r#type().map(|t| t.as_str());
    json!({"name": v.name(), "value": variable_value(t, v.value()), "type": t})
}

fn action(a: &ActionDeclaration) -> Value {
    let id = a.action_type_id();
    json!({
        "name": a.name(),
        "category": id.map(|t| t.category().as_str()),
        "owner": id.map(|t| t.owner().as_str()),
        "provider": id.map(|t| t.provider()),
        "version": id.map(|t| t.version()),
        "configuration": configuration(a),
        "input_artifacts": a.input_artifacts().iter().map(|x| x.name()).collect::<Vec<_>>(),
        "output_artifacts": a.output_artifacts().iter().map(|x| x.name()).collect::<Vec<_>>(),
        "run_order": a.run_order(),
        "namespace": a.namespace(),
        "region": a.region(),
        "role_arn": a.role_arn(),
        "timeout_in_minutes": a.timeout_in_minutes(),
        "environment_variable": a.environment_variables().iter().map(environment_variable).collect::<Vec<_>>(),
    })
}

fn stage(s: &StageDeclaration) -> Value {
    json!({
        "name": s.name(),
        "action": s.actions().iter().map(action).collect::<Vec<_>>(),
    })
}

fn variable(v: &PipelineVariableDeclaration) -> Value {
    json!({
        "name": v.name(),
        "default_value": v.default_value().map(redact_value),
        "description": v.description(),
    })
}

fn artifact_store(a: &ArtifactStore, region: Option<&str>) -> Value {
    json!({
        "location": a.location(),
        "type": a.r#type().as_str(),
        "encryption_key": a.encryption_key().map(|k| vec![json!({"id": k.id(), "type": k.r#type().as_str()})]),
        "region": region,
    })
}

/// A pipeline as Terraform's `aws_codepipeline`: `artifact_store` holds the single store, or one store per
/// region (with its `region`) for a cross-region pipeline.
pub fn pipeline(p: &PipelineDeclaration, meta: Option<&PipelineMetadata>) -> Value {
    let mut stores: Vec<Value> = p
        .artifact_store()
        .map(|a| artifact_store(a, None))
        .into_iter()
        .collect();
    if let Some(by_region) = p.artifact_stores() {
        let sorted: BTreeMap<&String, &ArtifactStore> = by_region.iter().collect();
        stores.extend(sorted.into_iter().map(|(r, a)| artifact_store(a, Some(r))));
    }
    json!({
        "arn": meta.and_then(|m| m.pipeline_arn()),
        "name": p.name(),
        "pipeline_type": p.pipeline_type().map(|t| t.as_str()),
        "execution_mode": p.execution_mode().map(|m| m.as_str()),
        "role_arn": p.role_arn(),
        "version": p.version(),
        "artifact_store": stores,
        "stage": p.stages().iter().map(stage).collect::<Vec<_>>(),
        "variable": p.variables().iter().map(variable).collect::<Vec<_>>(),
        "created": date(meta.and_then(|m| m.created())),
        "updated": date(meta.and_then(|m| m.updated())),
    })
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_codepipeline, s);
    let mut names: Vec<String> = Vec::new();
    let mut pages = c.list_pipelines().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => names.extend(
                out.pipelines()
                    .iter()
                    .filter_map(|p| p.name())
                    .map(str::to_string),
            ),
            Err(e) => {
                s.error("codepipeline", "ListPipelines", COLLECTOR.types, None, &e);
                return;
            }
        }
    }
    let fetched = s
        .each(names, |name| {
            let c = c.clone();
            async move {
                let r = c.get_pipeline().name(&name).send().await;
                (name, r)
            }
        })
        .await;
    for (name, r) in fetched {
        let arn = format!("arn:aws:codepipeline:{}:{}:{name}", s.region, s.account);
        match r {
            Ok(out) => {
                let Some(p) = out.pipeline() else {
                    s.empty(
                        "codepipeline",
                        "GetPipeline",
                        COLLECTOR.types,
                        Some(&arn),
                        "pipeline",
                    );
                    continue;
                };
                {
                    let id = out
                        .metadata()
                        .and_then(|m| m.pipeline_arn())
                        .map_or(arn, str::to_string);
                    s.push(
                        "aws_codepipeline",
                        id,
                        Some(p.name().to_string()),
                        pipeline(p, out.metadata()),
                        BTreeMap::new(),
                    );
                }
            }
            // Deleted after ListPipelines: nothing to report.
            Err(e) if service_code(&e).as_deref() == Some("PipelineNotFoundException") => {}
            Err(e) => s.error(
                "codepipeline",
                "GetPipeline",
                COLLECTOR.types,
                Some(&arn),
                &e,
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use aws_sdk_codepipeline::types::{
        ActionCategory, ActionOwner, ActionTypeId, ArtifactStoreType, EncryptionKey,
        EncryptionKeyType, EnvironmentVariableType, InputArtifact, OutputArtifact, PipelineType,
    };

    fn type_id(category: ActionCategory, provider: &str) -> ActionTypeId {
        ActionTypeId::builder()
            .category(category)
            .owner(ActionOwner::Aws)
            .provider(provider)
            .version("1")
            .build()
            .unwrap()
    }

    fn legacy_pipeline() -> (PipelineDeclaration, PipelineMetadata) {
        let build = ActionDeclaration::builder()
            .name("Build")
            .action_type_id(type_id(ActionCategory::Build, "CodeBuild"))
            .run_order(1)
            .configuration("ProjectName", "legacy-build")
            .configuration(
                "EnvironmentVariables",
                r#"[{"name": "DOCKERHUB_PASSWORD", "value": "Dockerhub-Legacy-2019", "type": "PLAINTEXT"},
                    {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAIOSFODNN7EXAMPLE"},
                    {"name": "API_KEY", "value": "ci/api-key", "type": "SECRETS_MANAGER"}]"#,
            )
            .input_artifacts(InputArtifact::builder().name("source").build().unwrap())
            .output_artifacts(OutputArtifact::builder().name("build").build().unwrap())
            .build()
            .unwrap();
        let commands = ActionDeclaration::builder()
            .name("Smoke")
            .action_type_id(type_id(ActionCategory::Compute, "Commands"))
            .namespace("smoke")
            .environment_variables(
                EnvironmentVariable::builder()
                    .name("SLACK_TOKEN")
                    .value("xoxb-legacy-example")
                    .r#type(EnvironmentVariableType::Plaintext)
                    .build()
                    .unwrap(),
            )
            .environment_variables(
                EnvironmentVariable::builder()
                    .name("DB_PASSWORD")
                    .value("arn:aws:secretsmanager:us-east-1:123456789012:secret:db")
                    .r#type(EnvironmentVariableType::SecretsManager)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let p = PipelineDeclaration::builder()
            .name("legacy-pipeline")
            .role_arn("arn:aws:iam::123456789012:role/legacy-pipeline-codepipeline")
            .pipeline_type(PipelineType::V2)
            .version(3)
            .artifact_store(
                ArtifactStore::builder()
                    .r#type(ArtifactStoreType::S3)
                    .location("app-pipeline-artifacts")
                    .encryption_key(
                        EncryptionKey::builder()
                            .id("alias/aws/s3")
                            .r#type(EncryptionKeyType::Kms)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .stages(
                StageDeclaration::builder()
                    .name("Build")
                    .actions(build)
                    .actions(commands)
                    .build()
                    .unwrap(),
            )
            .variables(
                PipelineVariableDeclaration::builder()
                    .name("DEPLOY_TOKEN")
                    .default_value("Dockerhub-Legacy-2019")
                    .description("token")
                    .build()
                    .unwrap(),
            )
            .variables(
                PipelineVariableDeclaration::builder()
                    .name("ENVIRONMENT")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let m = PipelineMetadata::builder()
            .pipeline_arn("arn:aws:codepipeline:us-east-1:123456789012:legacy-pipeline")
            .build();
        (p, m)
    }

    #[test]
    fn maps_a_pipeline_and_never_keeps_a_clear_text_value() {
        let (p, m) = legacy_pipeline();
        let v = crate::scope::clean(pipeline(&p, Some(&m)));
        let env = v["stage"][0]["action"][0]["configuration"]["EnvironmentVariables"]
            .as_str()
            .expect("a JSON string")
            .to_string();
        assert_eq!(
            serde_json::from_str::<Value>(&env).unwrap(),
            json!([
                {"name": "DOCKERHUB_PASSWORD", "value": "(redacted)", "type": "PLAINTEXT"},
                {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAXXXXXXXXXXXXXXXX"},
                {"name": "API_KEY", "value": "ci/api-key", "type": "SECRETS_MANAGER"},
            ])
        );
        assert_eq!(
            v,
            json!({
                "arn": "arn:aws:codepipeline:us-east-1:123456789012:legacy-pipeline",
                "name": "legacy-pipeline",
                "pipeline_type": "V2",
                "role_arn": "arn:aws:iam::123456789012:role/legacy-pipeline-codepipeline",
                "version": 3,
                "artifact_store": [{
                    "location": "app-pipeline-artifacts",
                    "type": "S3",
                    "encryption_key": [{"id": "alias/aws/s3", "type": "KMS"}],
                }],
                "stage": [{
                    "name": "Build",
                    "action": [
                        {
                            "name": "Build",
                            "category": "Build",
                            "owner": "AWS",
                            "provider": "CodeBuild",
                            "version": "1",
                            "configuration": {"ProjectName": "legacy-build", "EnvironmentVariables": env},
                            "input_artifacts": ["source"],
                            "output_artifacts": ["build"],
                            "run_order": 1,
                            "environment_variable": [],
                        },
                        {
                            "name": "Smoke",
                            "category": "Compute",
                            "owner": "AWS",
                            "provider": "Commands",
                            "version": "1",
                            "input_artifacts": [],
                            "output_artifacts": [],
                            "namespace": "smoke",
                            "environment_variable": [
                                {"name": "SLACK_TOKEN", "value": "(redacted)", "type": "PLAINTEXT"},
                                {"name": "DB_PASSWORD", "value": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "type": "SECRETS_MANAGER"},
                            ],
                        },
                    ],
                }],
                "variable": [
                    {"name": "DEPLOY_TOKEN", "default_value": "(redacted)", "description": "token"},
                    {"name": "ENVIRONMENT"},
                ],
            })
        );
        let text = v.to_string();
        for secret in [
            "Dockerhub-Legacy-2019",
            "AKIAIOSFODNN7EXAMPLE",
            "xoxb-legacy-example",
        ] {
            assert!(!text.contains(secret), "{secret} kept in {text}");
        }
    }

    #[test]
    fn environment_variables_that_do_not_parse_are_redacted_whole() {
        assert_eq!(
            redact_environment_variables("PASSWORD=hunter2"),
            "(redacted)"
        );
        assert_eq!(
            redact_environment_variables(r#"{"name": "X", "value": "hunter2"}"#),
            "(redacted)"
        );
        assert_eq!(redact_environment_variables(r#"["hunter2"]"#), "(redacted)");
        let v: Value = serde_json::from_str(&redact_environment_variables(
            r#"[{"name": "N", "value": 12345, "type": "PLAINTEXT"}, {"name": "P", "value": "/ci/p", "type": "PARAMETER_STORE"}]"#,
        ))
        .unwrap();
        assert_eq!(
            v,
            json!([
                {"name": "N", "value": "(redacted)", "type": "PLAINTEXT"},
                {"name": "P", "value": "/ci/p", "type": "PARAMETER_STORE"},
            ])
        );
    }
}
