// The horizontal window of cells a kernel updates: the block of columns a rank owns in a
// decomposed run, the whole grid otherwise. Half-open index ranges; -1 as an upper bound means
// "to the end". Kernels only read outside it what their stencil needs.
#pragma once

#include <cstddef>

namespace lantian::kernels {

struct Window {
    int i0 = 0, i1 = -1;  // columns i in [i0, i1)
    int j0 = 0, j1 = -1;  // rows j in [j0, j1)
    int i_end(int nx) const { return i1 < 0 ? nx : i1; }
    int j_end(int ny) const { return j1 < 0 ? ny : j1; }
};

// Calls fn(column) for every column j*nx + i of the window, row by row (orchestration code;
// kernels keep their own vectorised loops).
template <class Fn>
void for_columns(const Window& w, int nx, int ny, Fn&& fn) {
    for (int j = w.j0; j < w.j_end(ny); ++j)
        for (int i = w.i0; i < w.i_end(nx); ++i) fn(static_cast<std::size_t>(j) * nx + i);
}

// The same columns as for_columns, the rows shared out over the OpenMP threads: fn(column) must
// write only what belongs to its column.
template <class Fn>
void for_columns_parallel(const Window& w, int nx, int ny, Fn&& fn) {
#pragma omp parallel for schedule(static)
    for (int j = w.j0; j < w.j_end(ny); ++j)
        for (int i = w.i0; i < w.i_end(nx); ++i) fn(static_cast<std::size_t>(j) * nx + i);
}

}  // namespace lantian::kernels
