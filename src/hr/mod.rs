//! Heart-rate input for the resonance finder (docs/resonance.md).
//!
//! - [`score`]: the pure scoring of RR intervals: the outlier rule, each
//!   step's heart-rate swing per breath, RMSSD, whether breathing followed
//!   the pacer, and which rate came out best (or that the result is
//!   unclear); the same choice from 0-10 ratings when there is no sensor.
//! - [`protocol`]: the assessment's order of pieces and questions, a pure
//!   state machine both front ends walk.
//! - [`input`]: the `--hr-input` JSON lines reader (`{"rr_ms": 850.5}`),
//!   with errors that name the file, line and column.
//! - [`measurement`]: the Bluetooth Heart Rate Measurement characteristic
//!   (0x2A37) read from its bytes, every RR interval of a notification.
//! - `strap` (with the `hrv` cargo feature only): finding a strap over
//!   Bluetooth LE and streaming its measurements.
//!
//! Nothing here reads the clock or the terminal: beats carry their own
//! times, and a front end passes them in.

pub mod input;
pub mod measurement;
pub mod protocol;
pub mod score;
#[cfg(feature = "hrv")]
pub mod strap;

pub use score::{Beat, Finding, Step, StepScore};
