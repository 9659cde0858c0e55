//! Allocator settings for the programs that use mimalloc as their global allocator (the `palisade` binary
//! and the evaluation benchmark): call [`tune`] first thing in `main`, and [`keep_freed_memory`] before
//! policy evaluation.
//!
//! Policy evaluation allocates and frees hundreds of millions of small values. With mimalloc's defaults,
//! freed memory is given back to the OS after a delay and faulted in again soon after, and on a kernel with
//! transparent huge pages set to `always` every fault clears a 2 MiB page: a fifth of the CPU time of the
//! 100,000-resource benchmark went to the kernel clearing pages. Measured with
//! `cargo run --release -p palisade-engine --example eval_bench -- --resources 100000` on 2 cores:
//! 5.5 s without these settings, 4.8 s with them, the same peak memory (freed memory is reused, not kept
//! beyond the peak).
//!
//! The same settings from the environment (`MIMALLOC_PURGE_DELAY=-1 MIMALLOC_ALLOW_THP=0`) would have to be
//! set before the process starts: mimalloc reads them when it initialises, before `main`.
#![allow(unsafe_code)]

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (include/mimalloc.h: the 16th option, just
/// before `mi_option_use_numa_nodes`, which libmimalloc-sys names as 16). libmimalloc-sys does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Turns off transparent huge pages for this process. Call first thing in `main`.
pub fn tune() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes a flag of this process; a
    // failure (an old kernel) leaves the default, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// From now on, keeps freed memory for reuse instead of returning it to the OS (a purge delay of -1).
/// Call before policy evaluation, which frees and allocates the same memory over and over.
pub fn keep_freed_memory() {
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table; it takes no pointer, may be
    // called at any time, and the option index is in range.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Returns the memory freed so far (and not yet returned, under the default purge delay) to the OS now.
/// A live scan calls it between collection and evaluation: the collection's buffers, freed by threads that
/// have ended, would otherwise stay resident under the evaluation's own memory, and the peak would be the
/// sum of the two instead of the larger.
pub fn release_freed_memory() {
    // SAFETY: `mi_collect` takes a flag and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
mod tests {
    fn get(option: libmimalloc_sys::mi_option_t) -> std::os::raw::c_long {
        // SAFETY: reads an integer from mimalloc's option table.
        unsafe { libmimalloc_sys::mi_option_get(option) }
    }

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // Identified by its default, 1000 ms in mimalloc v3 (src/options.c), unless the environment set it.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 1000);
        }
        super::tune();
        super::release_freed_memory();
        super::keep_freed_memory();
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), -1);
    }
}
