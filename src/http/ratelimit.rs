//! Per-token request rate limits of the Events API, and the `X-RateLimit-*` headers every
//! authenticated answer carries: a token bucket per token name, holding one second's worth
//! of requests, refilled continuously.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::{HeaderMap, HeaderValue};

/// One token's bucket.
struct Bucket {
    /// Requests that may be made now (fractional while refilling).
    tokens: f64,
    at: Instant,
}

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The token's requests per second.
    pub limit: u64,
    /// Requests left in the bucket after this one.
    pub remaining: u64,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
    /// When refused: seconds until one request is allowed.
    pub retry_after_secs: Option<u64>,
}

impl Decision {
    /// Adds `X-RateLimit-Limit`, `-Remaining` and `-Reset` (and `Retry-After` when refused).
    pub fn write(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset_secs));
        if let Some(s) = self.retry_after_secs {
            headers.insert("retry-after", HeaderValue::from(s));
        }
    }
}

/// The buckets of every token that made a request.
#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// Takes one request from `token`'s bucket, whose size and refill rate are `rps`.
    pub fn check(&self, token: &str, rps: u64) -> Decision {
        self.check_at(token, rps, Instant::now())
    }

    fn check_at(&self, token: &str, rps: u64, now: Instant) -> Decision {
        let rate = rps.max(1) as f64;
        let Ok(mut buckets) = self.buckets.lock() else {
            return Decision {
                limit: rps,
                remaining: rps,
                reset_secs: 0,
                retry_after_secs: None,
            };
        };
        let bucket = buckets.entry(token.to_string()).or_insert(Bucket {
            tokens: rate,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
        bucket.at = now;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        let reset_secs = ((rate - bucket.tokens) / rate).ceil() as u64;
        Decision {
            limit: rps,
            remaining: bucket.tokens.floor() as u64,
            reset_secs,
            retry_after_secs: (!allowed)
                .then(|| ((1.0 - bucket.tokens) / rate).ceil().max(1.0) as u64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_holds_one_second_and_refills() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for i in 0..3 {
            let d = limiter.check_at("a", 3, t0);
            assert_eq!(d.remaining, 2 - i);
            assert_eq!(d.retry_after_secs, None);
        }
        let refused = limiter.check_at("a", 3, t0);
        assert_eq!(refused.retry_after_secs, Some(1));
        assert_eq!(
            (refused.limit, refused.remaining, refused.reset_secs),
            (3, 0, 1)
        );
        assert_eq!(
            limiter.check_at("b", 3, t0).remaining,
            2,
            "buckets are per token"
        );
        let later = limiter.check_at("a", 3, t0 + Duration::from_millis(400));
        assert_eq!(later.retry_after_secs, None, "0.4 s refills 1.2 requests");
        assert_eq!(later.remaining, 0);
    }
}
