//! SNS: topics with their encryption and subscription counts (GetTopicAttributes), and every subscription of
//! the region (one ListSubscriptions listing), so that alarm rules can tell whether an alarm's topic notifies
//! anyone. A subscription still pending confirmation has no ARN: it is identified `<topic arn>/pending/<n>`.
use super::{Collector, Placement};
use crate::scope::Scope;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

pub const COLLECTOR: Collector = Collector {
    service: "sns",
    placement: Placement::Regional,
    types: &["aws_sns_topic", "aws_sns_topic_subscription"],
    actions: &[
        "sns:ListTopics",
        "sns:GetTopicAttributes",
        "sns:ListSubscriptions",
    ],
};

const TOPIC: &str = "aws_sns_topic";
const SUBSCRIPTION: &str = "aws_sns_topic_subscription";

/// The SubscriptionArn that ListSubscriptions gives a subscription awaiting confirmation.
const PENDING: &str = "PendingConfirmation";

/// The name of a topic: the last part of its ARN.
fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// A topic from its ARN and its GetTopicAttributes map (`None` when that call failed: only the ARN and
/// name are then known). An attribute the API leaves out (no KMS key, a standard topic's `FifoTopic`) is
/// left out here too.
pub fn topic(arn: &str, attributes: Option<&HashMap<String, String>>) -> Value {
    let get = |k: &str| attributes.and_then(|a| a.get(k)).map(String::as_str);
    let count = |k: &str| get(k).and_then(|v| v.trim().parse::<u64>().ok());
    json!({
        "arn": arn,
        "name": topic_name(arn),
        "display_name": get("DisplayName"),
        "kms_master_key_id": get("KmsMasterKeyId"),
        "policy": get("Policy"),
        "fifo_topic": get("FifoTopic").map(|v| v.eq_ignore_ascii_case("true")),
        "subscriptions_confirmed": count("SubscriptionsConfirmed"),
        "subscriptions_pending": count("SubscriptionsPending"),
        "subscriptions_deleted": count("SubscriptionsDeleted"),
    })
}

/// Subscriptions as (id, name, attributes), in listing order. A confirmed subscription is identified by
/// its ARN; a pending one (SubscriptionArn `PendingConfirmation`) by `<topic arn>/pending/<n>`, `n`
/// counting the pending subscriptions of its topic from 0. A subscription being deleted (SubscriptionArn
/// `Deleted`) no longer exists and is left out.
pub fn subscriptions(subs: &[aws_sdk_sns::types::Subscription]) -> Vec<(String, String, Value)> {
    let mut pending_seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for sub in subs {
        let arn = sub.subscription_arn().unwrap_or_default();
        if arn == "Deleted" {
            continue;
        }
        let topic_arn = sub.topic_arn().unwrap_or_default();
        let protocol = sub.protocol().unwrap_or_default();
        let pending = arn == PENDING;
        let (id, name) = if pending {
            let n = pending_seen.entry(topic_arn.to_string()).or_insert(0);
            let id = format!("{topic_arn}/pending/{n}");
            *n += 1;
            (
                id,
                format!("{}/{protocol} (pending)", topic_name(topic_arn)),
            )
        } else {
            (
                arn.to_string(),
                format!("{}/{protocol}", topic_name(topic_arn)),
            )
        };
        let attrs = json!({
            "arn": if pending { None } else { Some(arn) },
            "topic_arn": sub.topic_arn(),
            "protocol": sub.protocol(),
            "pending_confirmation": pending,
            "owner": sub.owner(),
        });
        out.push((id, name, attrs));
    }
    out
}

pub async fn collect(s: &Scope) {
    let c = client!(aws_sdk_sns, s);

    let mut arns = Vec::new();
    let mut pages = c.list_topics().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => arns.extend(
                out.topics()
                    .iter()
                    .filter_map(|t| t.topic_arn())
                    .map(str::to_string),
            ),
            Err(e) => {
                s.error("sns", "ListTopics", &[TOPIC], None, &e);
                break;
            }
        }
    }
    let fetched = s
        .each(arns, |arn| {
            let c = c.clone();
            async move {
                let r = c.get_topic_attributes().topic_arn(&arn).send().await;
                (arn, r)
            }
        })
        .await;
    for (arn, r) in fetched {
        let attributes = match r {
            Ok(out) => Some(out.attributes().cloned().unwrap_or_default()),
            Err(e) => {
                // A topic deleted since the listing (NotFound) is an error too: its state is unknown.
                s.error("sns", "GetTopicAttributes", &[TOPIC], Some(&arn), &e);
                None
            }
        };
        s.push(
            TOPIC,
            arn.clone(),
            Some(topic_name(&arn).to_string()),
            topic(&arn, attributes.as_ref()),
            BTreeMap::new(),
        );
    }

    let mut subs = Vec::new();
    let mut pages = c.list_subscriptions().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(out) => subs.extend(out.subscriptions().iter().cloned()),
            Err(e) => {
                s.error("sns", "ListSubscriptions", &[SUBSCRIPTION], None, &e);
                break;
            }
        }
    }
    for (id, name, attrs) in subscriptions(&subs) {
        s.push(SUBSCRIPTION, id, Some(name), attrs, BTreeMap::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sns::types::Subscription;

    const APP: &str = "arn:aws:sns:us-east-1:123456789012:app-alerts";
    const LEGACY: &str = "arn:aws:sns:us-east-1:123456789012:legacy-alerts";

    #[test]
    fn topic_attributes_become_numbers_and_absent_ones_stay_absent() {
        let a: HashMap<String, String> = [
            ("TopicArn", APP),
            ("KmsMasterKeyId", "alias/aws/sns"),
            ("SubscriptionsConfirmed", "2"),
            ("SubscriptionsPending", "0"),
            ("SubscriptionsDeleted", "1"),
            ("DisplayName", "App alerts"),
            ("Policy", "{\"Version\":\"2012-10-17\"}"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            crate::scope::clean(topic(APP, Some(&a))),
            json!({
                "arn": APP, "name": "app-alerts", "display_name": "App alerts",
                "kms_master_key_id": "alias/aws/sns", "policy": "{\"Version\":\"2012-10-17\"}",
                "subscriptions_confirmed": 2, "subscriptions_pending": 0, "subscriptions_deleted": 1,
            })
        );
        let fifo: HashMap<String, String> = [("FifoTopic", "true"), ("SubscriptionsPending", "1")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            crate::scope::clean(topic(LEGACY, Some(&fifo))),
            json!({"arn": LEGACY, "name": "legacy-alerts", "fifo_topic": true, "subscriptions_pending": 1})
        );
        // GetTopicAttributes failed: only what the listing said.
        assert_eq!(
            crate::scope::clean(topic(APP, None)),
            json!({"arn": APP, "name": "app-alerts"})
        );
    }

    fn sub(arn: &str, topic: &str, protocol: &str) -> Subscription {
        Subscription::builder()
            .subscription_arn(arn)
            .topic_arn(topic)
            .protocol(protocol)
            .owner("123456789012")
            .endpoint("ops@example.com")
            .build()
    }

    #[test]
    fn pending_subscriptions_are_numbered_per_topic() {
        let confirmed = format!("{APP}:0b6f3c52-3b7a-4a2e-9d1c-5e8f7a6b4c01");
        let subs = vec![
            sub(&confirmed, APP, "email"),
            sub("PendingConfirmation", LEGACY, "email"),
            sub("PendingConfirmation", APP, "sms"),
            sub("Deleted", APP, "email"),
            sub("PendingConfirmation", LEGACY, "https"),
        ];
        let got: Vec<(String, String, Value)> = subscriptions(&subs)
            .into_iter()
            .map(|(i, n, v)| (i, n, crate::scope::clean(v)))
            .collect();
        let want = vec![
            (
                confirmed.clone(),
                "app-alerts/email".to_string(),
                json!({"arn": confirmed, "topic_arn": APP, "protocol": "email",
                       "pending_confirmation": false, "owner": "123456789012"}),
            ),
            (
                format!("{LEGACY}/pending/0"),
                "legacy-alerts/email (pending)".to_string(),
                json!({"topic_arn": LEGACY, "protocol": "email", "pending_confirmation": true,
                       "owner": "123456789012"}),
            ),
            (
                format!("{APP}/pending/0"),
                "app-alerts/sms (pending)".to_string(),
                json!({"topic_arn": APP, "protocol": "sms", "pending_confirmation": true,
                       "owner": "123456789012"}),
            ),
            (
                format!("{LEGACY}/pending/1"),
                "legacy-alerts/https (pending)".to_string(),
                json!({"topic_arn": LEGACY, "protocol": "https", "pending_confirmation": true,
                       "owner": "123456789012"}),
            ),
        ];
        assert_eq!(got, want);
    }
}
