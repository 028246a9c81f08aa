//! serde (feature `serde`): a `Deserializer` that serves a generated data tree and a `Serializer` that accepts
//! everything, so functions generic over `D: Deserializer<'de>` / `S: Serializer` (the `deserialize_with` /
//! `serialize_with` helpers) are called for real.
//!
//! [`Data`] is the tree an attacker's format would decode: unit, booleans, integers at their boundaries, floats
//! (NaN and infinities included), strings from the runtime's string attacks (the function's literals among
//! them), bytes, `None`/`Some`, sequences and maps of a few elements whose announced length may lie
//! (`size_hint` of `usize::MAX`, as a length prefix read from the input would), enum variants by name or index,
//! and nesting up to 128 levels (serde_json's own limit). `Data` is itself the `Deserializer`:
//! `deserialize_any` picks the visitor call from the tree, and every typed `deserialize_*` serves the tree as
//! it is, so a visitor that expected something else returns its own error, as it would on a hostile input.
//! [`Sink`] is the `Serializer`: it drives every nested `Serialize` and keeps nothing.

use std::fmt::{self, Display};

use ::serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use ::serde::ser::{self, Serialize};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::weighted;
use crate::expr::RustExpr;
use crate::hints::Hints;
use crate::naive::Naive;
use crate::Attack;

/// The path generated code and printed inputs name this module by.
const PATH: &str = "abuse_runtime::serde";

/// Deepest nesting drawn (serde_json refuses input nested deeper than 128).
pub const MAX_DEPTH: usize = 128;

/// A data tree served through `serde::Deserializer`; prints as the Rust expression that builds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// `visit_unit`.
    Unit,
    /// `visit_bool`.
    Bool(bool),
    /// `visit_i64`.
    I64(i64),
    /// `visit_u64`.
    U64(u64),
    /// `visit_f64`.
    F64(f64),
    /// `visit_char`.
    Char(char),
    /// `visit_string`.
    Str(String),
    /// `visit_byte_buf`.
    Bytes(Vec<u8>),
    /// `visit_none`.
    None,
    /// `visit_some`.
    Some(Box<Data>),
    /// `visit_seq`; `claimed` is what `size_hint` says (the real length, none, or a lie).
    Seq {
        /// The elements.
        items: Vec<Data>,
        /// The announced length.
        claimed: Option<usize>,
    },
    /// `visit_map`; `claimed` as for `Seq`.
    Map {
        /// The entries, keys first.
        entries: Vec<(Data, Data)>,
        /// The announced length.
        claimed: Option<usize>,
    },
    /// `visit_enum`: the variant's identifier (a name or an index) and its content (none for a unit variant).
    Enum {
        /// `Str` (by name) or `U64` (by index).
        variant: Box<Data>,
        /// The content of a newtype, tuple or struct variant.
        value: Option<Box<Data>>,
    },
}

impl Data {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Data::Unit => Unexpected::Unit,
            Data::Bool(b) => Unexpected::Bool(*b),
            Data::I64(n) => Unexpected::Signed(*n),
            Data::U64(n) => Unexpected::Unsigned(*n),
            Data::F64(x) => Unexpected::Float(*x),
            Data::Char(c) => Unexpected::Char(*c),
            Data::Str(s) => Unexpected::Str(s),
            Data::Bytes(b) => Unexpected::Bytes(b),
            Data::None | Data::Some(_) => Unexpected::Option,
            Data::Seq { .. } => Unexpected::Seq,
            Data::Map { .. } => Unexpected::Map,
            Data::Enum { .. } => Unexpected::Enum,
        }
    }

    /// How deep the tree is (a leaf is 1).
    #[must_use]
    pub fn depth(&self) -> usize {
        1 + match self {
            Data::Some(d) => d.depth(),
            Data::Seq { items, .. } => items.iter().map(Data::depth).max().unwrap_or(0),
            Data::Map { entries, .. } => entries
                .iter()
                .map(|(k, v)| k.depth().max(v.depth()))
                .max()
                .unwrap_or(0),
            Data::Enum { value, .. } => value.as_ref().map_or(0, |v| v.depth()),
            _ => 0,
        }
    }
}

impl RustExpr for Data {
    fn rust_expr(&self) -> String {
        let p = format!("{PATH}::Data::");
        match self {
            Data::Unit => format!("{p}Unit"),
            Data::None => format!("{p}None"),
            Data::Bool(b) => format!("{p}Bool({})", b.rust_expr()),
            Data::I64(n) => format!("{p}I64({})", n.rust_expr()),
            Data::U64(n) => format!("{p}U64({})", n.rust_expr()),
            Data::F64(x) => format!("{p}F64({})", x.rust_expr()),
            Data::Char(c) => format!("{p}Char({})", c.rust_expr()),
            Data::Str(s) => format!("{p}Str({})", s.rust_expr()),
            Data::Bytes(b) => format!("{p}Bytes({})", b.rust_expr()),
            Data::Some(d) => format!("{p}Some(Box::new({}))", d.rust_expr()),
            Data::Seq { items, claimed } => format!(
                "{p}Seq {{ items: {}, claimed: {} }}",
                items.rust_expr(),
                claimed.rust_expr()
            ),
            Data::Map { entries, claimed } => format!(
                "{p}Map {{ entries: {}, claimed: {} }}",
                entries.rust_expr(),
                claimed.rust_expr()
            ),
            Data::Enum { variant, value } => format!(
                "{p}Enum {{ variant: {}, value: {} }}",
                variant.rust_expr(),
                value.rust_expr()
            ),
        }
    }

    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        match self {
            Data::Str(s) => s.cut_in_place(num, den),
            Data::Bytes(b) => b.cut_in_place(num, den),
            Data::Some(d) => d.cut_in_place(num, den),
            Data::Seq { items, .. } => items.cut_in_place(num, den),
            Data::Map { entries, .. } => entries.cut_in_place(num, den),
            Data::Enum { value, .. } => value.cut_in_place(num, den),
            _ => false,
        }
    }
}

/// What a sequence or map of `len` elements announces, by `pick`: mostly the truth, else nothing or a lie.
fn claim(pick: u8, len: usize) -> Option<usize> {
    match pick {
        0..=5 => Some(len),
        6 | 7 => None,
        8 => Some(usize::MAX),
        _ => Some(u32::MAX as usize),
    }
}

fn leaves(hints: &Hints) -> BoxedStrategy<Data> {
    weighted(vec![
        (1, Just(Data::Unit).boxed()),
        (1, Just(Data::None).boxed()),
        (2, any::<bool>().prop_map(Data::Bool).boxed()),
        (4, i64::attack(hints).prop_map(Data::I64).boxed()),
        (3, u64::attack(hints).prop_map(Data::U64).boxed()),
        (2, f64::attack(hints).prop_map(Data::F64).boxed()),
        (1, char::attack(hints).prop_map(Data::Char).boxed()),
        (5, String::attack(hints).prop_map(Data::Str).boxed()),
        (2, Vec::<u8>::attack(hints).prop_map(Data::Bytes).boxed()),
    ])
}

/// Trees over `leaf`: `Some`, sequences and maps of up to 8 elements, enum variants named by `variant`;
/// about 4 levels deep, and now and then a chain nested up to [`MAX_DEPTH`].
fn tree(leaf: BoxedStrategy<Data>, variant: BoxedStrategy<Data>) -> BoxedStrategy<Data> {
    let nested = leaf
        .clone()
        .prop_recursive(4, 48, 8, move |inner| {
            weighted(vec![
                (
                    2,
                    inner.clone().prop_map(|d| Data::Some(Box::new(d))).boxed(),
                ),
                (
                    4,
                    (proptest::collection::vec(inner.clone(), 0..8), 0u8..10)
                        .prop_map(|(items, pick)| Data::Seq {
                            claimed: claim(pick, items.len()),
                            items,
                        })
                        .boxed(),
                ),
                (
                    3,
                    (
                        proptest::collection::vec((inner.clone(), inner.clone()), 0..6),
                        0u8..10,
                    )
                        .prop_map(|(entries, pick)| Data::Map {
                            claimed: claim(pick, entries.len()),
                            entries,
                        })
                        .boxed(),
                ),
                (
                    2,
                    (variant.clone(), proptest::option::of(inner))
                        .prop_map(|(variant, value)| Data::Enum {
                            variant: Box::new(variant),
                            value: value.map(Box::new),
                        })
                        .boxed(),
                ),
            ])
        })
        .boxed();
    let deep = (1..=MAX_DEPTH, any::<bool>(), leaf)
        .prop_map(|(depth, in_seq, leaf)| {
            (1..depth).fold(leaf, |d, _| match in_seq {
                true => Data::Seq {
                    items: vec![d],
                    claimed: Some(1),
                },
                false => Data::Some(Box::new(d)),
            })
        })
        .boxed();
    weighted(vec![(9, nested), (1, deep)])
}

impl Attack for Data {
    fn attack(hints: &Hints) -> BoxedStrategy<Data> {
        let variant = weighted(vec![
            (3, String::attack(hints).prop_map(Data::Str).boxed()),
            (1, (0u64..4).prop_map(Data::U64).boxed()),
        ]);
        tree(leaves(hints), variant)
    }
}

impl Naive for Data {
    fn naive() -> BoxedStrategy<Data> {
        let leaf = prop_oneof![
            Just(Data::Unit),
            Just(Data::None),
            any::<bool>().prop_map(Data::Bool),
            any::<i64>().prop_map(Data::I64),
            any::<u64>().prop_map(Data::U64),
            any::<f64>().prop_map(Data::F64),
            any::<char>().prop_map(Data::Char),
            any::<String>().prop_map(Data::Str),
            any::<Vec<u8>>().prop_map(Data::Bytes),
        ]
        .boxed();
        let variant = any::<String>().prop_map(Data::Str).boxed();
        tree(leaf, variant)
    }
}

/// The error of [`Data`] and [`Sink`]: a visitor's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl<'de> de::Deserializer<'de> for Data {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Data::Unit => visitor.visit_unit(),
            Data::Bool(b) => visitor.visit_bool(b),
            Data::I64(n) => visitor.visit_i64(n),
            Data::U64(n) => visitor.visit_u64(n),
            Data::F64(x) => visitor.visit_f64(x),
            Data::Char(c) => visitor.visit_char(c),
            Data::Str(s) => visitor.visit_string(s),
            Data::Bytes(b) => visitor.visit_byte_buf(b),
            Data::None => visitor.visit_none(),
            Data::Some(d) => visitor.visit_some(*d),
            Data::Seq { items, claimed } => visitor.visit_seq(Seq {
                items: items.into_iter(),
                claimed,
            }),
            Data::Map { entries, claimed } => visitor.visit_map(Map {
                entries: entries.into_iter(),
                value: None,
                claimed,
            }),
            Data::Enum { variant, value } => visitor.visit_enum(Enum {
                variant: *variant,
                value: value.map(|v| *v),
            }),
        }
    }

    /// A newtype struct is its content, as in self-describing formats.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl IntoDeserializer<'_, Error> for Data {
    type Deserializer = Data;
    fn into_deserializer(self) -> Data {
        self
    }
}

struct Seq {
    items: std::vec::IntoIter<Data>,
    claimed: Option<usize>,
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.items.next().map(|d| seed.deserialize(d)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        self.claimed
    }
}

struct Map {
    entries: std::vec::IntoIter<(Data, Data)>,
    value: Option<Data>,
    claimed: Option<usize>,
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom(
                "a map value was asked for before its key",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.claimed
    }
}

struct Enum {
    variant: Data,
    value: Option<Data>,
}

impl<'de> de::EnumAccess<'de> for Enum {
    type Error = Error;
    type Variant = Variant;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Variant), Error> {
        let chosen = seed.deserialize(self.variant)?;
        Ok((chosen, Variant(self.value)))
    }
}

struct Variant(Option<Data>);

impl<'de> de::VariantAccess<'de> for Variant {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Data::Unit) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(
                other.unexpected(),
                &"a unit variant",
            )),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.0.unwrap_or(Data::Unit))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self.0.unwrap_or(Data::Unit), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self.0.unwrap_or(Data::Unit), visitor)
    }
}

/// A `Serializer` that accepts every value, drives every nested `Serialize`, and keeps nothing; whether it
/// says it is human-readable is drawn (helpers often branch on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sink {
    /// What `is_human_readable` returns.
    pub human_readable: bool,
}

impl RustExpr for Sink {
    fn rust_expr(&self) -> String {
        format!("{PATH}::Sink {{ human_readable: {} }}", self.human_readable)
    }
}

impl Attack for Sink {
    fn attack(_: &Hints) -> BoxedStrategy<Sink> {
        Sink::naive()
    }
}

impl Naive for Sink {
    fn naive() -> BoxedStrategy<Sink> {
        any::<bool>()
            .prop_map(|human_readable| Sink { human_readable })
            .boxed()
    }
}

macro_rules! accept {
    ($($method:ident($t:ty)),* $(,)?) => {$(
        fn $method(self, _: $t) -> Result<(), Error> {
            Ok(())
        }
    )*};
}

impl ser::Serializer for Sink {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Sink;
    type SerializeTuple = Sink;
    type SerializeTupleStruct = Sink;
    type SerializeTupleVariant = Sink;
    type SerializeMap = Sink;
    type SerializeStruct = Sink;
    type SerializeStructVariant = Sink;

    accept!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Sink, Error> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Sink, Error> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Sink, Error> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Sink, Error> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Sink, Error> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Sink, Error> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Sink, Error> {
        Ok(self)
    }
    fn is_human_readable(&self) -> bool {
        self.human_readable
    }
}

macro_rules! compound {
    ($($trait:ident :: $method:ident $(($key:ty))?),* $(,)?) => {$(
        impl ser::$trait for Sink {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, $(_: $key,)? value: &T) -> Result<(), Error> {
                value.serialize(*self)
            }
            fn end(self) -> Result<(), Error> {
                Ok(())
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
    SerializeStruct::serialize_field(&'static str),
    SerializeStructVariant::serialize_field(&'static str),
);

impl ser::SerializeMap for Sink {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(*self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(*self)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use ::serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess};
    use ::serde::Serialize;
    use proptest::test_runner::TestRunner;

    use super::*;

    fn seq(items: Vec<Data>) -> Data {
        Data::Seq {
            claimed: Some(items.len()),
            items,
        }
    }

    #[test]
    fn drives_std_types_and_returns_errors_on_mismatches() {
        assert_eq!(i64::deserialize(Data::I64(-5)), Ok(-5));
        assert_eq!(u8::deserialize(Data::U64(255)), Ok(255));
        assert!(u8::deserialize(Data::U64(256)).is_err());
        assert!(i64::deserialize(Data::Str("12".into())).is_err());
        assert_eq!(
            String::deserialize(Data::Str("é".into())),
            Ok("é".to_string())
        );
        assert!(String::deserialize(Data::I64(1)).is_err());
        assert_eq!(
            Vec::<i64>::deserialize(seq(vec![Data::I64(1), Data::I64(2)])),
            Ok(vec![1, 2])
        );
        assert!(Vec::<i64>::deserialize(seq(vec![Data::I64(1), Data::Bool(true)])).is_err());
        assert!(Vec::<i64>::deserialize(Data::Map {
            entries: vec![],
            claimed: Some(0)
        })
        .is_err());
        assert_eq!(Option::<i64>::deserialize(Data::None), Ok(None));
        assert_eq!(
            Option::<i64>::deserialize(Data::Some(Box::new(Data::I64(3)))),
            Ok(Some(3))
        );
        assert!(Option::<i64>::deserialize(Data::Some(Box::new(Data::F64(f64::NAN)))).is_err());
        // serde's own collections distrust a lying length.
        let lying = Data::Seq {
            items: vec![Data::I64(1)],
            claimed: Some(usize::MAX),
        };
        assert_eq!(Vec::<i64>::deserialize(lying), Ok(vec![1]));
        let map = Data::Map {
            entries: vec![(Data::Str("a".into()), Data::U64(1))],
            claimed: None,
        };
        let got = std::collections::BTreeMap::<String, u32>::deserialize(map).unwrap();
        assert_eq!(got.get("a"), Some(&1));
    }

    /// A hand-written `Deserialize`, as `#[derive]` writes it: a struct from a map or a sequence.
    #[derive(Debug, PartialEq)]
    struct Point {
        x: i32,
        y: i32,
    }

    impl<'de> Deserialize<'de> for Point {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Point, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Point;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a point")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Point, A::Error> {
                    let x = seq
                        .next_element()?
                        .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                    let y = seq
                        .next_element()?
                        .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                    Ok(Point { x, y })
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Point, A::Error> {
                    let (mut x, mut y) = (None, None);
                    while let Some(key) = map.next_key::<String>()? {
                        match key.as_str() {
                            "x" => x = Some(map.next_value()?),
                            "y" => y = Some(map.next_value()?),
                            _ => {
                                map.next_value::<de::IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(Point {
                        x: x.ok_or_else(|| de::Error::missing_field("x"))?,
                        y: y.ok_or_else(|| de::Error::missing_field("y"))?,
                    })
                }
            }
            d.deserialize_struct("Point", &["x", "y"], V)
        }
    }

    #[test]
    fn drives_a_hand_written_visitor() {
        let point = Point::deserialize(seq(vec![Data::I64(1), Data::U64(2)]));
        assert_eq!(point, Ok(Point { x: 1, y: 2 }));
        let map = Data::Map {
            entries: vec![
                (Data::Str("y".into()), Data::I64(-1)),
                (Data::Str("z".into()), seq(vec![Data::Unit])),
                (Data::Str("x".into()), Data::I64(7)),
            ],
            claimed: Some(3),
        };
        assert_eq!(Point::deserialize(map), Ok(Point { x: 7, y: -1 }));
        let err = Point::deserialize(seq(vec![Data::I64(1)])).unwrap_err();
        assert!(err.0.contains("invalid length 1"), "{err}");
        let err = Point::deserialize(Data::Str("p".into())).unwrap_err();
        assert!(err.0.contains("invalid type: string \"p\""), "{err}");
        assert!(Point::deserialize(seq(vec![Data::I64(i64::MAX), Data::I64(0)])).is_err());
    }

    #[test]
    fn every_generated_tree_deserializes_without_panicking() {
        let mut runner = TestRunner::deterministic();
        let hints = Hints {
            strings: &["x"],
            ..Hints::NONE
        };
        let strategy = Data::attack(&hints);
        let mut deep = 0;
        let mut lies = 0;
        for _ in 0..500 {
            let data = strategy.new_tree(&mut runner).unwrap().current();
            deep = deep.max(data.depth());
            lies += usize::from(data.rust_expr().contains("usize::MAX"));
            let _ = Point::deserialize(data.clone());
            let _ = Vec::<Option<String>>::deserialize(data.clone());
            let _ = de::IgnoredAny::deserialize(data.clone());
            // What it prints is Rust that names the same tree.
            assert!(data.rust_expr().starts_with("abuse_runtime::serde::Data::"));
        }
        assert!(deep > 16, "some trees are deeply nested ({deep})");
        assert!(lies > 0, "some collections announce a length they lack");
    }

    #[test]
    fn the_sink_drives_nested_serialize_impls() {
        struct Counted<'a>(&'a std::cell::Cell<u32>);
        impl Serialize for Counted<'_> {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.set(self.0.get() + 1);
                s.serialize_str("x")
            }
        }
        let calls = std::cell::Cell::new(0);
        let value = (
            vec![Counted(&calls), Counted(&calls)],
            Some(Counted(&calls)),
        );
        let sink = Sink {
            human_readable: false,
        };
        assert_eq!(value.serialize(sink), Ok(()));
        let map: std::collections::BTreeMap<i32, Counted<'_>> = [(1, Counted(&calls))].into();
        assert_eq!(map.serialize(sink), Ok(()));
        assert_eq!(calls.get(), 4);
        assert_eq!(
            Sink {
                human_readable: true
            }
            .rust_expr(),
            "abuse_runtime::serde::Sink { human_readable: true }"
        );
    }
}
