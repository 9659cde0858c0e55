//! cargo-fuzz target `plan`: see ../targets.rs. A panic is a crash; copy its input into
//! ../corpus/plan/ once fixed, so that `cargo test -p palisade --test fuzz` keeps it as a regression test.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = targets::plan(data);
});
