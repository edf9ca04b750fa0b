// Thread helpers declared in thread_scratch.hpp. Owns the one call into the OpenMP runtime that
// sizes scratch blocks; must not allocate or hold state.
#include "thread_scratch.hpp"

namespace lantian::kernels {

int max_threads() {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

}  // namespace lantian::kernels
