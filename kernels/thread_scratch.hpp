// Thread helpers of the kernels: how many OpenMP threads a parallel region may use, and the calling
// thread's slice of a scratch block allocated as per_thread × max_threads() elements by the caller
// (kernels never allocate). Without OpenMP there is one thread and the whole block is its slice.
#pragma once

#include <cstddef>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace lantian::kernels {

// Threads a parallel region may use (omp_get_max_threads(); 1 without OpenMP): callers size
// per-thread scratch blocks with it.
int max_threads();

// A per-thread scratch size in doubles rounded up to whole cache lines (64 bytes), so that every
// thread's slice of a cache-line aligned block starts a line too: a 64-byte vector access to a
// slice then never straddles two lines (benchmarks/README.md, issue 17: aligned scratch).
constexpr std::size_t whole_lines(std::size_t doubles) { return (doubles + 7) / 8 * 8; }

template <class T>
inline T* thread_slice(T* block, std::size_t per_thread) {
#ifdef _OPENMP
    return block + static_cast<std::size_t>(omp_get_thread_num()) * per_thread;
#else
    (void)per_thread;
    return block;
#endif
}

}  // namespace lantian::kernels
