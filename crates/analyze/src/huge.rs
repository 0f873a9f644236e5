//! Room for the desk's large tables, asked of the system in huge pages.
//!
//! At a million articles the LSH index holds about 600 MB in a few arrays
//! that every article reads at random: 21 bucket heads, a few links and
//! signatures. With 4 KiB pages each of those reads also misses the TLB
//! (a few thousand entries cover a few MiB), and the page walk is a miss of
//! its own; this, more than the number of reads, is what made the cost per
//! article grow with the index. In 2 MiB pages the same arrays take a few
//! hundred entries.
//!
//! Linux gives huge pages only to memory advised for them (the usual
//! setting of transparent huge pages is `madvise`), and only when the pages
//! are first touched: so an array grows here into a new allocation that is
//! advised before anything is written to it, rather than by `realloc`,
//! which would keep the old pages small. The advice is a hint: contents and
//! results are the same with or without it, and elsewhere it is skipped.

/// A huge page (x86-64 and aarch64 with 4 KiB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// Arrays smaller than this are left to the allocator as they are.
const ADVISED_FROM: usize = 2 * HUGE_PAGE;

/// A vector with room for `capacity` elements, advised for huge pages when
/// large.
pub(crate) fn with_capacity<T>(capacity: usize) -> Vec<T> {
    let v = Vec::with_capacity(capacity);
    advise(&v);
    v
}

/// Makes room in `v` for `additional` more elements; when it must grow, it
/// doubles (at least) into a new allocation advised for huge pages.
pub(crate) fn reserve<T>(v: &mut Vec<T>, additional: usize) {
    let need = v.len().saturating_add(additional);
    if need <= v.capacity() {
        return;
    }
    let capacity = need.max(v.capacity().saturating_mul(2)).max(64);
    if capacity.saturating_mul(std::mem::size_of::<T>()) < ADVISED_FROM {
        v.reserve(capacity - v.len());
        return;
    }
    let mut grown = with_capacity(capacity);
    grown.append(v);
    *v = grown;
}

/// [`reserve`] then push.
#[inline]
pub(crate) fn push<T>(v: &mut Vec<T>, value: T) {
    if v.len() == v.capacity() {
        reserve(v, 1);
    }
    v.push(value);
}

/// Advises the whole huge pages inside `v`'s allocation for huge pages.
fn advise<T>(v: &Vec<T>) {
    let bytes = v.capacity().saturating_mul(std::mem::size_of::<T>());
    if bytes < ADVISED_FROM {
        return;
    }
    let start = v.as_ptr() as usize;
    let from = start.next_multiple_of(HUGE_PAGE);
    let to = (start + bytes) / HUGE_PAGE * HUGE_PAGE;
    if to > from {
        advise_range(from, to - from);
    }
}

#[cfg(target_os = "linux")]
fn advise_range(from: usize, len: usize) {
    // SAFETY: `from..from + len` lies inside an allocation this process
    // owns (a vector's buffer), page-aligned. MADV_HUGEPAGE changes no
    // contents and no permissions, only which page size backs the range;
    // a refusal (no transparent huge pages, an old kernel) is harmless and
    // ignored.
    unsafe {
        libc::madvise(from as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_range(_from: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grown_vectors_keep_their_contents() {
        let mut v: Vec<u64> = Vec::new();
        for i in 0..3_000_000u64 {
            push(&mut v, i * 3);
        }
        assert_eq!(v.len(), 3_000_000);
        assert!(v.iter().enumerate().all(|(i, x)| *x == i as u64 * 3));
        let mut w: Vec<u32> = with_capacity(10);
        reserve(&mut w, 5_000_000);
        assert!(w.capacity() >= 5_000_000 && w.is_empty());
        w.extend([1, 2, 3]);
        reserve(&mut w, 2);
        assert_eq!(w, [1, 2, 3]);
    }
}
