//! What generated harnesses import: `use abuse_runtime::prelude::*;`.

pub use crate::arb::{arbitrary_value, from_bytes, opaque, FromBytes, Opaque};
pub use crate::attack::{attack, Attack};
pub use crate::check::{block_on, check, ensures, replay, setup, Property, Settings, Target};
pub use crate::expr::RustExpr;
pub use crate::hints::{Hints, Mix};
pub use crate::same;
pub use proptest::prelude::{any, prop_oneof, Just, Strategy, TestCaseError};
pub use proptest::strategy::BoxedStrategy;
