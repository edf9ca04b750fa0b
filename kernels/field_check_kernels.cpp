// Hot loop of the per-step field guard (field_check_kernels.hpp).
#include "field_check_kernels.hpp"

#include <cstddef>
#include <limits>

namespace lantian::kernels {

bool fields_physical(const real* q, int nfields, int nx, int ny, int nz, const Window& window) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(nx) * ny;
    const int i0 = window.i0, i1 = window.i_end(nx), j0 = window.j0, rows = window.j_end(ny) - j0;
    const long long layers = static_cast<long long>(nfields) * nz;  // field-layer pairs, s·nz + k
    constexpr real kMax = std::numeric_limits<real>::max();
    int bad = 0;
#pragma omp parallel for schedule(static) reduction(| : bad)
    for (long long r = 0; r < layers * rows; ++r) {
        const real* row = q + (r / rows) * plane + static_cast<std::ptrdiff_t>(j0 + r % rows) * nx;
        int row_bad = 0;
        // 0 <= v <= max is false for NaN (every comparison is) and for ±inf. (Both comparisons
        // taken, & rather than &&: a short circuit is a branch, which kept the loop from vectorising.)
#pragma omp simd reduction(| : row_bad)
        for (int i = i0; i < i1; ++i) row_bad |= ((row[i] >= real(0)) & (row[i] <= kMax)) ? 0 : 1;
        bad |= row_bad;
    }
    return bad == 0;
}

}  // namespace lantian::kernels
