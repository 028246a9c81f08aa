//! Advisory corpus: one thin wrapper per RustSec advisory over the pinned, vulnerable release (the doc comment
//! names the advisory and the release that fixed it), plus correct functions over fixed releases or
//! well-behaved APIs. The prompts say what a user asked for; nothing here names the input that triggers a bug.
//! See RESULTS.md.

use abuse_macros::ai_generated;

// ---------------------------------------------------------------------------------------------------------
// Vulnerable wrappers
// ---------------------------------------------------------------------------------------------------------

/// RUSTSEC-2018-0006, yaml-rust 0.4.0 (fixed in 0.4.1).
#[ai_generated(
    prompt = "Load a YAML document from a string and return how many documents it contains, 0 if it is not valid YAML."
)]
pub fn yaml_document_count(input: &str) -> usize {
    yaml_rust::YamlLoader::load_from_str(input)
        .map(|docs| docs.len())
        .unwrap_or(0)
}

/// RUSTSEC-2018-0005, serde_yaml 0.8.3 (fixed in 0.8.4).
#[ai_generated(
    prompt = "Deserialize a YAML string into a generic serde_yaml value; return true when it is valid YAML."
)]
pub fn yaml_is_valid(input: &str) -> bool {
    serde_yaml::from_str::<serde_yaml::Value>(input).is_ok()
}

/// RUSTSEC-2022-0004, rustc-serialize 0.3.25 (no fixed release).
#[ai_generated(
    prompt = "Parse a JSON text with rustc_serialize and return true when it is valid JSON."
)]
pub fn json_is_valid(input: &str) -> bool {
    rustc_serialize::json::Json::from_str(input).is_ok()
}

/// RUSTSEC-2019-0025, serde_cbor 0.10.1 (fixed in 0.10.2).
#[ai_generated(
    prompt = "Decode a CBOR byte buffer into a generic CBOR value; return true when it decodes."
)]
pub fn cbor_is_valid(bytes: &[u8]) -> bool {
    serde_cbor::from_slice::<serde_cbor::Value>(bytes).is_ok()
}

/// RUSTSEC-2024-0012, serde-json-wasm 1.0.0 (fixed in 1.0.1).
#[ai_generated(
    prompt = "Check that a string is well-formed JSON using serde-json-wasm, ignoring the values."
)]
pub fn json_wasm_is_well_formed(input: &str) -> bool {
    serde_json_wasm::from_str::<serde::de::IgnoredAny>(input).is_ok()
}

/// RUSTSEC-2022-0030, rulex 0.4.2 (fixed in 0.4.3).
#[ai_generated(prompt = "Parse a rulex expression and return true when it is syntactically valid.")]
pub fn rulex_is_valid(input: &str) -> bool {
    rulex::Rulex::parse(input, Default::default()).is_ok()
}

/// RUSTSEC-2022-0031, rulex 0.4.2 (fixed in 0.4.3).
#[ai_generated(
    prompt = "Compile a rulex expression to a regular expression string; None when the expression is invalid."
)]
pub fn rulex_to_regex(input: &str) -> Option<String> {
    let parsed = rulex::Rulex::parse(input, Default::default()).ok()?;
    parsed.compile(Default::default()).ok()
}

/// RUSTSEC-2024-0437, protobuf 3.7.1 (fixed in 3.7.2).
#[ai_generated(
    prompt = "Decode a protobuf-encoded google.protobuf.Empty message from bytes; return true when it decodes."
)]
pub fn protobuf_empty_decodes(bytes: &[u8]) -> bool {
    use protobuf::Message;
    protobuf::well_known_types::empty::Empty::parse_from_bytes(bytes).is_ok()
}

/// RUSTSEC-2026-0009, time 0.3.46 (fixed in 0.3.47).
#[ai_generated(
    prompt = "Parse an RFC 2822 date (as in e-mail headers) and return its Unix timestamp, None when it does not parse."
)]
pub fn rfc2822_timestamp(input: &str) -> Option<i64> {
    time::OffsetDateTime::parse(input, &time::format_description::well_known::Rfc2822)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// RUSTSEC-2021-0125, simple_asn1 0.6.0 (fixed in 0.6.1).
#[ai_generated(
    prompt = "Decode DER-encoded ASN.1 bytes and return how many top-level blocks they hold, 0 when they do not decode."
)]
pub fn der_block_count(bytes: &[u8]) -> usize {
    simple_asn1::from_der(bytes)
        .map(|blocks| blocks.len())
        .unwrap_or(0)
}

/// RUSTSEC-2023-0083, blurhash 0.1.1 (fixed in 0.2.0).
#[ai_generated(
    prompt = "Decode a blurhash string into RGBA pixels of the given width and height and return the number of bytes produced."
)]
pub fn blurhash_pixels(hash: &str, width: u32, height: u32) -> usize {
    blurhash::decode(hash, width.min(64), height.min(64), 1.0).len()
}

/// RUSTSEC-2026-0199, bcrypt 0.19.0 (fixed in 0.19.2).
#[ai_generated(
    prompt = "Check a password against a stored bcrypt hash; return false when the hash is malformed or does not match."
)]
pub fn bcrypt_check(password: &str, hash: &str) -> bool {
    bcrypt::verify(password, hash).unwrap_or(false)
}

/// RUSTSEC-2023-0085, hpack 0.3.0 (no fixed release).
#[ai_generated(
    prompt = "Decode an HPACK-compressed HTTP/2 header block and return the number of headers, 0 when it is invalid."
)]
pub fn hpack_header_count(block: &[u8]) -> usize {
    hpack::Decoder::new()
        .decode(block)
        .map(|headers| headers.len())
        .unwrap_or(0)
}

/// RUSTSEC-2020-0068, multihash 0.11.2 (fixed in 0.11.3).
#[ai_generated(
    prompt = "Parse a multihash from bytes and return the name of its hash algorithm, None when the bytes are not a multihash."
)]
pub fn multihash_algorithm(bytes: &[u8]) -> Option<String> {
    multihash::MultihashRef::from_slice(bytes)
        .ok()
        .map(|m| format!("{:?}", m.algorithm()))
}

/// RUSTSEC-2025-0027, mp3-metadata 0.3.4 (fixed in 0.4.0).
#[ai_generated(
    prompt = "Read the metadata of an MP3 file held in memory and return its duration in whole seconds, None when it cannot be read."
)]
pub fn mp3_duration_secs(bytes: &[u8]) -> Option<u64> {
    mp3_metadata::read_from_slice(bytes)
        .ok()
        .map(|meta| meta.duration.as_secs())
}

/// RUSTSEC-2020-0075, branca 0.9.2 (fixed in 0.10.0).
#[ai_generated(
    prompt = "Decode a Branca token with our fixed 32-byte key and return its payload, None when the token is invalid or expired."
)]
pub fn branca_payload(token: &str) -> Option<String> {
    branca::decode(token, b"supersecretkeyyoushouldnotcommit", 0).ok()
}

/// RUSTSEC-2017-0005, cookie 0.7.5 (fixed in 0.7.6).
#[ai_generated(
    prompt = "Parse a Set-Cookie header value and return its Max-Age in seconds, None when absent or unparsable."
)]
pub fn cookie_max_age_secs(header: &str) -> Option<i64> {
    cookie::Cookie::parse(header)
        .ok()?
        .max_age()
        .map(|d| d.num_seconds())
}

/// RUSTSEC-2019-0033, http 0.1.19 (fixed in 0.1.20).
#[ai_generated(
    prompt = "Make a header map holding a Host header, reserve room for `additional` more headers, and return its capacity."
)]
pub fn header_map_capacity(additional: usize) -> usize {
    let mut map = http::HeaderMap::new();
    map.insert(
        http::header::HOST,
        http::HeaderValue::from_static("example.com"),
    );
    map.reserve(additional);
    map.capacity()
}

/// RUSTSEC-2021-0041, parse_duration 2.1.1 (no fixed release).
#[ai_generated(
    prompt = "Parse a human-written duration such as '1 hour 15 minutes' and return it in milliseconds, None when invalid."
)]
pub fn duration_millis(input: &str) -> Option<u128> {
    parse_duration::parse(input).ok().map(|d| d.as_millis())
}

/// RUSTSEC-2022-0013, regex 1.5.4 (fixed in 1.5.5).
#[ai_generated(prompt = "Return true when a user-supplied regular expression pattern compiles.")]
pub fn regex_compiles(pattern: &str) -> bool {
    regex::Regex::new(pattern).is_ok()
}

/// RUSTSEC-2019-0007, asn1_der 0.6.1 (fixed in 0.6.2).
#[ai_generated(
    prompt = "Decode one DER object from bytes and return the length of its value, None when the bytes are not DER."
)]
pub fn der_value_len(bytes: &[u8]) -> Option<usize> {
    asn1_der::DerObject::deserialize(bytes.iter())
        .ok()
        .map(|obj| obj.value.data.len())
}

/// RUSTSEC-2017-0006, rmpv 0.4.1 (fixed in 0.4.2).
#[ai_generated(prompt = "Decode a MessagePack value from bytes; return true when it decodes.")]
pub fn msgpack_is_valid(bytes: &[u8]) -> bool {
    let mut rd = bytes;
    rmpv::decode::read_value(&mut rd).is_ok()
}

/// RUSTSEC-2021-0143, kamadak-exif 0.5.2 (fixed in 0.5.3).
#[ai_generated(
    prompt = "Read the Exif metadata embedded in an image file (JPEG, PNG, TIFF...) and return the number of fields, 0 when there is none."
)]
pub fn exif_field_count(bytes: &[u8]) -> usize {
    let mut cursor = std::io::Cursor::new(bytes);
    exif::Reader::new()
        .read_from_container(&mut cursor)
        .map(|e| e.fields().len())
        .unwrap_or(0)
}

/// RUSTSEC-2026-0180, postgres-protocol 0.6.11 (fixed in 0.6.12).
#[ai_generated(
    prompt = "Decode a PostgreSQL binary hstore value and return the number of key/value entries, None when it is malformed."
)]
pub fn hstore_entry_count(buf: &[u8]) -> Option<usize> {
    use fallible_iterator::FallibleIterator;
    postgres_protocol::types::hstore_from_sql(buf)
        .ok()?
        .count()
        .ok()
}

/// RUSTSEC-2026-0194, quick-xml 0.40.1 (fixed in 0.41.0).
#[ai_generated(
    prompt = "Parse an XML document and return the total number of attributes over all its start tags, stopping at the first error."
)]
pub fn xml_attribute_count(xml: &str) -> usize {
    count_attributes_040(xml)
}

fn count_attributes_040(xml: &str) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut total = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) | Ok(Event::Empty(tag)) => {
                for attr in tag.attributes() {
                    if attr.is_err() {
                        return total;
                    }
                    total += 1;
                }
            }
            Ok(Event::Eof) | Err(_) => return total,
            Ok(_) => {}
        }
    }
}

/// RUSTSEC-2023-0062, bcder 0.7.2 (fixed in 0.7.3).
#[ai_generated(
    prompt = "Check that a byte buffer is a well-formed sequence of BER values, without interpreting them."
)]
pub fn ber_is_well_formed(bytes: &[u8]) -> bool {
    bcder::decode::Constructed::decode(bytes, bcder::Mode::Ber, |cons| cons.skip_all()).is_ok()
}

// ---------------------------------------------------------------------------------------------------------
// Correct functions (false alarms): fixed releases and well-behaved APIs of the same crates
// ---------------------------------------------------------------------------------------------------------

/// Correct: serde_cbor 0.11.2 (has the RUSTSEC-2019-0025 fix).
#[ai_generated(
    prompt = "Decode a CBOR byte buffer into a generic CBOR value; return true when it decodes."
)]
pub fn cbor_fixed_is_valid(bytes: &[u8]) -> bool {
    serde_cbor_fixed::from_slice::<serde_cbor_fixed::Value>(bytes).is_ok()
}

/// Correct: blurhash 0.2.3 (has the RUSTSEC-2023-0083 fix).
#[ai_generated(
    prompt = "Decode a blurhash string into RGBA pixels of the given width and height and return the number of bytes produced, 0 when invalid."
)]
pub fn blurhash_fixed_pixels(hash: &str, width: u32, height: u32) -> usize {
    blurhash_fixed::decode(hash, width.min(64), height.min(64), 1.0)
        .map(|px| px.len())
        .unwrap_or(0)
}

/// Correct: cookie 0.18.1 (has the RUSTSEC-2017-0005 fix).
#[ai_generated(
    prompt = "Parse a Set-Cookie header value and return its Max-Age in seconds, None when absent or unparsable."
)]
pub fn cookie_fixed_max_age_secs(header: &str) -> Option<i64> {
    cookie_fixed::Cookie::parse(header)
        .ok()?
        .max_age()
        .map(|d| d.whole_seconds())
}

/// Correct: http 1.3.1, header value validation.
#[ai_generated(prompt = "Return true when a string is a valid HTTP header value.")]
pub fn header_value_is_valid(value: &str) -> bool {
    http_fixed::HeaderValue::from_str(value).is_ok()
}

/// Correct: quick-xml 0.41.0 (has the RUSTSEC-2026-0194 fix).
#[ai_generated(
    prompt = "Parse an XML document and return the number of start and empty tags, stopping at the first error."
)]
pub fn xml_fixed_tag_count(xml: &str) -> usize {
    use quick_xml_fixed::events::Event;
    let mut reader = quick_xml_fixed::Reader::from_str(xml);
    let mut total = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) | Ok(Event::Empty(_)) => total += 1,
            Ok(Event::Eof) | Err(_) => return total,
            Ok(_) => {}
        }
    }
}

/// Correct: serde-json-wasm 0.5.2 (has the RUSTSEC-2024-0012 fix).
#[ai_generated(
    prompt = "Check that a string is well-formed JSON using serde-json-wasm, ignoring the values."
)]
pub fn json_wasm_fixed_is_well_formed(input: &str) -> bool {
    serde_json_wasm_fixed::from_str::<serde::de::IgnoredAny>(input).is_ok()
}

/// Correct: regex 1.5.4 with a trusted pattern (RUSTSEC-2022-0013 concerns untrusted patterns only).
#[ai_generated(prompt = "Return true when the text is an ISO date of the form YYYY-MM-DD.")]
pub fn is_iso_date(text: &str) -> bool {
    static DATE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    DATE.get_or_init(|| regex::Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap())
        .is_match(text)
}

/// Correct: rustc-serialize 0.3.25 base64 decoding (not affected by RUSTSEC-2022-0004).
#[ai_generated(
    prompt = "Decode a base64 string and return the decoded bytes, None when it is not valid base64."
)]
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    use rustc_serialize::base64::FromBase64;
    input.from_base64().ok()
}

/// Correct: time 0.3.46 with RFC 3339 (RUSTSEC-2026-0009 concerns RFC 2822 only).
#[ai_generated(
    prompt = "Parse an RFC 3339 timestamp and return its Unix timestamp, None when it does not parse."
)]
pub fn rfc3339_timestamp(input: &str) -> Option<i64> {
    time::OffsetDateTime::parse(input, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Correct: branca 0.10.1 (has the RUSTSEC-2020-0075 fix).
#[ai_generated(
    prompt = "Decode a Branca token with our fixed 32-byte key and return its payload, None when the token is invalid or expired."
)]
pub fn branca_fixed_payload(token: &str) -> Option<Vec<u8>> {
    branca_fixed::decode(token, b"supersecretkeyyoushouldnotcommit", 0).ok()
}
