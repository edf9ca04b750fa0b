// The process base: ledger binding by declared name, the step context's defaults, and the grid
// views every process hands its kernels.
#include <algorithm>
#include <vector>

#include "processes/process.hpp"

namespace lantian {

const Parallel& StepContext::parallel() const {
    static const Parallel serial;
    return par != nullptr ? *par : serial;
}

void add_columns(ExactSum& sum, const double* per_column, int nx, int ny, const kernels::Window& w) {
    add_columns(&sum, &per_column, 1, nx, ny, w);
}

void add_columns(ExactSum* sums, const double* const* fields, int count, int nx, int ny, const kernels::Window& w) {
    const int j0 = w.j0, i0 = w.i0, i1 = w.i_end(nx), rows = w.j_end(ny) - j0;
#pragma omp parallel
    {
        std::vector<ExactSum> part(count);
#pragma omp for schedule(static) nowait
        for (int r = 0; r < rows; ++r)
            for (int n = 0; n < count; ++n)
                part[n].add(fields[n] + static_cast<std::size_t>(j0 + r) * nx + i0, static_cast<std::size_t>(i1 - i0));
        // (exact: the parts give the same total in any order)
#pragma omp critical(lantian_add_columns)
        for (int n = 0; n < count; ++n) sums[n].add(part[n]);
    }
}

void Process::bind(Ledger& ledger) {
    term_ids_.clear();
    for (const LedgerTerm& t : info().ledger_terms) term_ids_.push_back(ledger.declare(t));
    bound_ = &ledger;
}

void Process::step(StepContext& ctx) {
    if (bound_ != &ctx.ledger) bind(ctx.ledger);
    step_impl(ctx);
}

bool WeatherCache::unchanged(std::initializer_list<std::uint64_t> revisions, std::initializer_list<double> args) {
    bool known = true;
    for (std::uint64_t r : revisions) known = known && r != 0;
    const bool same = valid_ && known && std::equal(revisions.begin(), revisions.end(), revisions_.begin(), revisions_.end()) &&
                      std::equal(args.begin(), args.end(), args_.begin(), args_.end());
    if (same) return true;
    revisions_.assign(revisions);
    args_.assign(args);
    valid_ = known;
    return false;
}

kernels::GridViews grid_views(const Grid& g, bool periodic) {
    kernels::GridViews v;
    v.nx = g.nx();
    v.ny = g.ny();
    v.nz = g.nz();
    v.periodic = periodic;
    v.area_m2 = g.area_m2().data();
    v.len_x_m = g.face_x_length_m().data();
    v.len_y_m = g.face_y_length_m().data();
    v.dist_x_m = g.face_x_distance_m().data();
    v.dist_y_m = g.face_y_distance_m().data();
    v.dz_m = g.dz().data();
    v.z_center_m = g.z_center().data();
    return v;
}

}  // namespace lantian
