// Storage for the large per-cell fields (tracers, air mass, face fluxes): a std::vector whose blocks
// of 4 MiB and more sit on transparent huge pages (2 MiB) where the kernel offers them.
//
// Why: a vertical sweep or solve reads each layer of a column from a different 4 KiB page (a layer
// of the reference grid is 128 000 doubles apart), so a block of columns touches some 80 pages at
// once, more than the first-level TLB holds; with 2 MiB pages the same accesses need a few entries.
// The single-tracer benchmark runs about 7% faster (benchmarks/README.md, issue 17). Linux with
// /sys/kernel/mm/transparent_hugepage/enabled = "madvise" (Debian's default) gives huge pages only
// to memory advised with MADV_HUGEPAGE before it is first touched, which is what allocate() does;
// with "never" the advice is ignored and the fields live on ordinary pages, with the same values.
//
// Smaller blocks (a single tracer's field, the kernels' scratch) start a 64-byte cache line: the
// kernels load 16 floats or 8 doubles at a time, and from a block that malloc placed 16 bytes into a
// line every such load straddles two lines. Where malloc put the block changed from one run to the
// next, and the single-tracer step time with it (medians 4% apart, benchmarks/README.md, issue 17).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace lantian {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHugePage = std::size_t{2} << 20;    // bytes
    static constexpr std::size_t kThreshold = std::size_t{4} << 20;   // smaller blocks: ordinary pages
    static constexpr std::size_t kLine = 64;                           // bytes: every block starts a cache line

    HugePageAllocator() noexcept = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kThreshold) return static_cast<T*>(::operator new(bytes, std::align_val_t{kLine}));
        const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        void* p = std::aligned_alloc(kHugePage, rounded);
        if (p == nullptr) throw std::bad_alloc();
        (void)madvise(p, rounded, MADV_HUGEPAGE);  // advice only: ignored where huge pages are off
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < kThreshold)
            ::operator delete(p, std::align_val_t{kLine});
        else
            std::free(p);
    }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

// A per-cell field: std::vector on huge pages (above).
template <class T>
using FieldVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace lantian
