//! `Counter`: the smallest aggregate that exercises the store — several events per command,
//! a rejection, a command that changes nothing, and a hook that lets a test act at the moment
//! between loading and appending (to stage races and conflicts deterministically).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use guanjia_domain::DomainError;
use serde::{Deserialize, Serialize};

use super::RawDb;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub total: i64,
    pub history: Vec<i64>,
    pub closed: bool,
}

#[derive(Debug, Clone)]
pub enum CounterCommand {
    /// One `Added` event per amount; refused if the total would drop below zero.
    Add(Vec<i64>),
    Close,
    /// Accepted, emits nothing.
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CounterEvent {
    Added { amount: i64 },
    Closed,
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> String {
        match self {
            Self::Added { .. } => "Added".to_string(),
            Self::Closed => "Closed".to_string(),
        }
    }

    fn event_version(&self) -> String {
        "1".to_string()
    }
}

/// Something a test runs inside `handle`, after the aggregate was loaded.
pub trait Hook: Send + Sync {
    fn before_decide(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

#[derive(Clone, Default)]
pub struct CounterServices {
    pub hook: Option<Arc<dyn Hook>>,
}

impl CounterServices {
    pub fn with_hook(hook: Arc<dyn Hook>) -> Self {
        Self { hook: Some(hook) }
    }
}

impl Aggregate for Counter {
    const TYPE: &'static str = "counter";
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Error = DomainError;
    type Services = CounterServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        if let Some(hook) = &services.hook {
            hook.before_decide().await;
        }
        if self.closed {
            return Err(DomainError::not_allowed("the counter is closed"));
        }
        match command {
            CounterCommand::Add(amounts) => {
                if self.total + amounts.iter().sum::<i64>() < 0 {
                    return Err(DomainError::not_allowed("the total would drop below zero"));
                }
                for amount in amounts {
                    sink.write(CounterEvent::Added { amount }, self).await;
                }
            }
            CounterCommand::Close => sink.write(CounterEvent::Closed, self).await,
            CounterCommand::Nothing => {}
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CounterEvent::Added { amount } => {
                self.total += amount;
                self.history.push(amount);
            }
            CounterEvent::Closed => self.closed = true,
        }
    }
}

/// Makes the first `parties` decisions wait for each other, so that they all decide on the same
/// version of the aggregate: a guaranteed race. Later decisions (the retries) pass freely.
pub struct BarrierHook {
    barrier: tokio::sync::Barrier,
    parties: usize,
    pub calls: AtomicUsize,
}

impl BarrierHook {
    pub fn new(parties: usize) -> Arc<Self> {
        Arc::new(Self {
            barrier: tokio::sync::Barrier::new(parties),
            parties,
            calls: AtomicUsize::new(0),
        })
    }
}

impl Hook for BarrierHook {
    fn before_decide(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            if self.calls.fetch_add(1, Ordering::SeqCst) < self.parties {
                self.barrier.wait().await;
            }
        })
    }
}

/// Another writer that always gets there first: on every decision it appends an event to the
/// same aggregate with raw SQL, so every append of the command conflicts.
pub struct InterfereHook {
    pub raw: RawDb,
    pub aggregate_id: String,
    pub calls: AtomicUsize,
}

impl Hook for InterfereHook {
    fn before_decide(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if let Err(error) = self
                .raw
                .insert_next("counter", &self.aggregate_id, None)
                .await
            {
                panic!("the interfering insert failed: {error}");
            }
        })
    }
}
