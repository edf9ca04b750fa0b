// The calling OpenMP thread's slice of a scratch block allocated as per_thread × max_threads()
// elements by the caller (kernels never allocate). Without OpenMP the whole block is the slice.
#pragma once

#include <cstddef>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace lantian::kernels {

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
