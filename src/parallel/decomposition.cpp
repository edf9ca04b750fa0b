// Decomposition arithmetic: block sizes and offsets, the shortest-cut factorisation, refusals.
#include "parallel/decomposition.hpp"

#include <algorithm>
#include <limits>
#include <sstream>

#include "config/config.hpp"

namespace lantian {

Box intersect(const Box& a, const Box& b) {
    return {std::max(a.i0, b.i0), std::min(a.i1, b.i1), std::max(a.j0, b.j0), std::min(a.j1, b.j1)};
}

Decomposition::Decomposition(int nx, int ny, int ranks, int px, int py, bool periodic_x, bool periodic_y)
    : nx_(nx), ny_(ny) {
    auto fits = [&](int a, int b) {
        return a >= 1 && b >= 1 && nx / a >= kMinWidth && ny / b >= kMinWidth && (a == 1 || !periodic_x) &&
               (b == 1 || !periodic_y);
    };
    std::ostringstream why;
    if (px > 0 || py > 0) {
        const int a = px > 0 ? px : (ranks % py == 0 ? ranks / py : 0);
        const int b = py > 0 ? py : (ranks % px == 0 ? ranks / px : 0);
        if (a * b != ranks)
            throw ConfigError("parallel.px = " + std::to_string(px) + ", parallel.py = " + std::to_string(py) +
                              ": the blocks must number exactly the " + std::to_string(ranks) + " MPI rank(s) of the run (start it with mpirun -np N, N = px × py)");
        if ((a > 1 && periodic_x) || (b > 1 && periodic_y))
            throw ConfigError("parallel.px/py: a periodic boundary (transport.boundary = periodic) cannot be split; "
                              "use parallel.px = parallel.py = 1 or an open boundary");
        if (!fits(a, b))
            throw ConfigError("parallel: " + std::to_string(a) + " x " + std::to_string(b) + " blocks on a " +
                              std::to_string(nx) + " x " + std::to_string(ny) + " grid are thinner than the " +
                              std::to_string(kMinWidth) + "-cell advection halo; use fewer ranks along that axis");
        px_ = a;
        py_ = b;
        return;
    }
    // Shortest total cut: (px − 1)·ny + (py − 1)·nx cells of halo per layer.
    long best = std::numeric_limits<long>::max();
    for (int a = 1; a <= ranks; ++a) {
        if (ranks % a != 0) continue;
        const int b = ranks / a;
        if (!fits(a, b)) continue;
        const long cut = static_cast<long>(a - 1) * ny + static_cast<long>(b - 1) * nx;
        if (cut < best) {
            best = cut;
            px_ = a;
            py_ = b;
        }
    }
    if (best == std::numeric_limits<long>::max())
        throw ConfigError(std::to_string(ranks) + " MPI ranks cannot decompose the " + std::to_string(nx) + " x " +
                          std::to_string(ny) + " grid: every split leaves blocks thinner than the " +
                          std::to_string(kMinWidth) + "-cell advection halo" +
                          (periodic_x || periodic_y ? " (a periodic axis cannot be split)" : "") +
                          "; run with fewer ranks");
}

Box Decomposition::box(int rank) const {
    const int cx = rank % px_, cy = rank / px_;
    return {start(nx_, px_, cx), start(nx_, px_, cx + 1), start(ny_, py_, cy), start(ny_, py_, cy + 1)};
}

std::string Decomposition::describe() const {
    std::ostringstream o;
    const Box a = box(ranks() - 1), b = box(0);
    o << px_ << " x " << py_ << " blocks of " << (a.i1 - a.i0) << "x" << (a.j1 - a.j0) << " to " << (b.i1 - b.i0) << "x"
      << (b.j1 - b.j0) << " columns";
    return o.str();
}

}  // namespace lantian
