// 2-D horizontal domain decomposition: px × py blocks of columns, rank = cy·px + cx. Each rank
// owns whole columns (all layers) of its block; the split is as even as integer division allows.
#pragma once

#include <string>

namespace lantian {

struct Box {
    int i0 = 0, i1 = 0, j0 = 0, j1 = 0;  // columns [i0, i1) × rows [j0, j1)
    bool empty() const { return i1 <= i0 || j1 <= j0; }
    long cells() const { return empty() ? 0 : static_cast<long>(i1 - i0) * (j1 - j0); }
};
Box intersect(const Box& a, const Box& b);

class Decomposition {
public:
    // The narrowest block a decomposition may produce along each axis (cells): the advection
    // stencil reaches 3 cells beyond a block, and one neighbour must be able to supply them.
    static constexpr int kMinWidth = 3;

    Decomposition() = default;  // one block: the whole grid
    // px, py: 0 = choose (the factorisation of `ranks` with the shortest cut between blocks).
    // Throws ConfigError when the grid cannot be split so (blocks thinner than kMinWidth, px·py ≠ ranks).
    Decomposition(int nx, int ny, int ranks, int px, int py, bool periodic_x = false, bool periodic_y = false);

    int px() const { return px_; }
    int py() const { return py_; }
    int ranks() const { return px_ * py_; }
    Box box(int rank) const;
    Box grid() const { return {0, nx_, 0, ny_}; }
    std::string describe() const;  // "2 x 2 blocks of 50x32 .. 50x32 columns"

private:
    int nx_ = 0, ny_ = 0, px_ = 1, py_ = 1;
    static int start(int n, int parts, int p) { return p * (n / parts) + (p < n % parts ? p : n % parts); }
};

}  // namespace lantian
