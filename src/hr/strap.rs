//! A heart-rate strap over Bluetooth LE (the `hrv` cargo feature): find
//! straps that offer the Heart Rate service (0x180D), and stream the RR
//! intervals of every Heart Rate Measurement notification (0x2A37), read
//! by the pure [`super::measurement::parse`].
//!
//! Built only with `--features hrv` (btleplug, which needs the D-Bus
//! headers on Linux: `apt-get install libdbus-1-dev`).

use std::time::Duration;

use btleplug::api::{Central as _, Manager as _, Peripheral as _, ScanFilter};
use btleplug::platform::{Adapter, Manager, Peripheral};
use crossbeam_channel::Sender;
use futures::StreamExt as _;
use uuid::Uuid;

use super::input::Sample;
use super::measurement;

/// The Heart Rate service.
pub const HEART_RATE_SERVICE: Uuid = Uuid::from_u128(0x0000_180d_0000_1000_8000_0080_5f9b_34fb);
/// Its Heart Rate Measurement characteristic.
pub const MEASUREMENT: Uuid = Uuid::from_u128(0x0000_2a37_0000_1000_8000_0080_5f9b_34fb);
/// How long a scan listens for straps.
pub const SCAN: Duration = Duration::from_secs(5);

/// A strap found by a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strap {
    /// Its advertised name (empty when it gives none).
    pub name: String,
    /// Its Bluetooth address.
    pub address: String,
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start Bluetooth: {e}"))
}

fn words(e: &btleplug::Error) -> String {
    format!("Bluetooth: {e}")
}

async fn adapter() -> Result<Adapter, String> {
    let manager = Manager::new().await.map_err(|e| words(&e))?;
    manager
        .adapters()
        .await
        .map_err(|e| words(&e))?
        .into_iter()
        .next()
        .ok_or_else(|| "no Bluetooth adapter found".to_owned())
}

async fn scan(central: &Adapter) -> Result<Vec<(Strap, Peripheral)>, String> {
    central
        .start_scan(ScanFilter {
            services: vec![HEART_RATE_SERVICE],
        })
        .await
        .map_err(|e| words(&e))?;
    // A scan is listening for a while: the one wait that is real time.
    tokio::time::sleep(SCAN).await;
    let mut found = Vec::new();
    for p in central.peripherals().await.map_err(|e| words(&e))? {
        let Ok(Some(props)) = p.properties().await else {
            continue;
        };
        if props.services.contains(&HEART_RATE_SERVICE) {
            found.push((
                Strap {
                    name: props.local_name.unwrap_or_default(),
                    address: p.address().to_string(),
                },
                p,
            ));
        }
    }
    let _ = central.stop_scan().await;
    Ok(found)
}

/// The straps in reach, after a scan of [`SCAN`].
pub fn list() -> Result<Vec<Strap>, String> {
    runtime()?.block_on(async {
        let central = adapter().await?;
        Ok(scan(&central).await?.into_iter().map(|(s, _)| s).collect())
    })
}

/// Connect to the strap whose name contains `name` (any strap without
/// one) and send the RR intervals of every notification to `tx` until it
/// disconnects or `tx` is dropped. Runs on the calling thread.
pub fn stream(name: Option<&str>, tx: &Sender<Sample>) -> Result<(), String> {
    runtime()?.block_on(async {
        let central = adapter().await?;
        let found = scan(&central).await?;
        let pick =
            |s: &Strap| name.is_none_or(|n| s.name.to_lowercase().contains(&n.to_lowercase()));
        let Some((_, strap)) = found.into_iter().find(|(s, _)| pick(s)) else {
            return Err(match name {
                Some(n) => format!(
                    "no heart-rate strap named like `{n}` in reach; `exhale devices` lists them"
                ),
                None => {
                    "no heart-rate strap in reach: wear it (it wakes on skin) and try again".into()
                }
            });
        };
        strap.connect().await.map_err(|e| words(&e))?;
        strap.discover_services().await.map_err(|e| words(&e))?;
        let ch = strap
            .characteristics()
            .into_iter()
            .find(|c| c.uuid == MEASUREMENT)
            .ok_or_else(|| "this strap has no heart-rate measurement".to_owned())?;
        strap.subscribe(&ch).await.map_err(|e| words(&e))?;
        let mut notes = strap.notifications().await.map_err(|e| words(&e))?;
        while let Some(n) = notes.next().await {
            if n.uuid != MEASUREMENT {
                continue;
            }
            // A notification that cannot be read is passed over; the next
            // one comes within a second.
            let Ok(m) = measurement::parse(&n.value) else {
                continue;
            };
            if m.rr_ms.is_empty() {
                continue;
            }
            if tx
                .send(Sample {
                    rr_ms: m.rr_ms,
                    t: None,
                })
                .is_err()
            {
                break;
            }
        }
        let _ = strap.disconnect().await;
        Ok(())
    })
}
